/**
 * GOV.UK Frontend's form patterns as server-rendered HTML (no Nunjucks: the same markup the
 * design system's macros produce, built with our escaping `html`). Each field takes its id,
 * label, value and error; an error marks the group, the field and its message, and the page's
 * error summary links to the field.
 */
import { html, type Html } from '../../shared/html.ts';

export type Errors = Record<string, string>;

export const errorSummary = (title: string, errors: Errors): Html | '' => {
  const entries = Object.entries(errors);
  if (entries.length === 0) return '';
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary">
    <div role="alert">
      <h2 class="govuk-error-summary__title">${title}</h2>
      <div class="govuk-error-summary__body">
        <ul class="govuk-list govuk-error-summary__list">
          ${entries.map(([id, msg]) => html`<li><a href="#${id}">${msg}</a></li>`)}
        </ul>
      </div>
    </div>
  </div>`;
};

const errorMessage = (id: string, prefix: string, error: string | undefined) =>
  error
    ? html`<p id="${id}-error" class="govuk-error-message">
        <span class="govuk-visually-hidden">${prefix}</span> ${error}
      </p>`
    : '';

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

const hintOf = (id: string, hint: string | undefined) =>
  hint ? html`<div id="${id}-hint" class="govuk-hint">${hint}</div>` : '';

export interface Field {
  id: string;
  name?: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string;
  errorPrefix: string;
  /** The label as the page's heading (one question per page). */
  heading?: boolean;
}

const label = (f: Field) =>
  f.heading
    ? html`<h1 class="govuk-label-wrapper">
        <label class="govuk-label govuk-label--l" for="${f.id}">${f.label}</label>
      </h1>`
    : html`<label class="govuk-label" for="${f.id}">${f.label}</label>`;

const group = (error: unknown, body: Html) =>
  html`<div class="govuk-form-group ${error ? 'govuk-form-group--error' : ''}">${body}</div>`;

export function textInput(
  f: Field & { autocomplete?: string; inputmode?: string; width?: string; spellcheck?: boolean },
): Html {
  const by = describedBy(f.id, f.hint, f.error);
  return group(
    f.error,
    html`${label(f)} ${hintOf(f.id, f.hint)} ${errorMessage(f.id, f.errorPrefix, f.error)}
      <input
        class="govuk-input ${f.width ? `govuk-input--width-${f.width}` : ''} ${f.error ? 'govuk-input--error' : ''}"
        id="${f.id}"
        name="${f.name ?? f.id}"
        type="text"
        value="${f.value ?? ''}"
        ${by ? html`aria-describedby="${by}"` : ''}
        ${f.autocomplete ? html`autocomplete="${f.autocomplete}"` : ''}
        ${f.inputmode ? html`inputmode="${f.inputmode}"` : ''}
        ${f.spellcheck === false ? html`spellcheck="false"` : ''}
      />`,
  );
}

export function textarea(f: Field & { rows?: number; maxlength?: number }): Html {
  const by = describedBy(f.id, f.hint, f.error);
  return group(
    f.error,
    html`${label(f)} ${hintOf(f.id, f.hint)} ${errorMessage(f.id, f.errorPrefix, f.error)}
      <textarea
        class="govuk-textarea ${f.error ? 'govuk-textarea--error' : ''}"
        id="${f.id}"
        name="${f.name ?? f.id}"
        rows="${f.rows ?? 8}"
        ${f.maxlength ? html`maxlength="${f.maxlength}"` : ''}
        ${by ? html`aria-describedby="${by}"` : ''}
      >
${f.value ?? ''}</textarea>`,
  );
}

/** A fieldset whose legend is the page's heading (or a plain legend). */
export function fieldset(
  legend: string,
  body: Html,
  opts: { heading?: boolean; by?: string | undefined; role?: string } = {},
): Html {
  return html`<fieldset
    class="govuk-fieldset"
    ${opts.by ? html`aria-describedby="${opts.by}"` : ''}
    ${opts.role ? html`role="${opts.role}"` : ''}
  >
    ${
      opts.heading
        ? html`<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">
            <h1 class="govuk-fieldset__heading">${legend}</h1>
          </legend>`
        : html`<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${legend}</legend>`
    }
    ${body}
  </fieldset>`;
}

export interface Choice {
  value: string;
  label: string;
  checked: boolean;
  /** Only this one (checkboxes: "None"/"Nothing"). */
  exclusive?: boolean;
}

export function choices(
  kind: 'checkbox' | 'radio',
  f: Field & { items: Choice[]; small?: boolean },
): Html {
  const cls = kind === 'checkbox' ? 'govuk-checkboxes' : 'govuk-radios';
  const by = describedBy(f.id, f.hint, f.error);
  return group(
    f.error,
    fieldset(
      f.label,
      html`${hintOf(f.id, f.hint)} ${errorMessage(f.id, f.errorPrefix, f.error)}
        <div class="${cls}" data-module="${cls}">
          ${f.items.map(
            (c, i) =>
              html`${
                  c.exclusive && kind === 'checkbox'
                    ? html`<div class="govuk-checkboxes__divider">or</div>`
                    : ''
                }
                <div class="${cls}__item">
                  <input
                    class="${cls}__input"
                    id="${i === 0 ? f.id : `${f.id}-${i + 1}`}"
                    name="${f.name ?? f.id}"
                    type="${kind}"
                    value="${c.value}"
                    ${c.checked ? 'checked' : ''}
                    ${c.exclusive ? html`data-behaviour="exclusive"` : ''}
                  />
                  <label
                    class="govuk-label ${cls}__label"
                    for="${i === 0 ? f.id : `${f.id}-${i + 1}`}"
                    >${c.label}</label
                  >
                </div>`,
          )}
        </div>`,
      { heading: f.heading ?? false, by },
    ),
  );
}

export interface DateParts {
  day?: string;
  month?: string;
  year?: string;
}

export function dateInput(
  f: Field & { parts: DateParts; names: { day: string; month: string; year: string } },
): Html {
  const by = describedBy(f.id, f.hint, f.error);
  const part = (key: keyof DateParts, width: number, first: boolean) =>
    html`<div class="govuk-date-input__item">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for="${first ? f.id : `${f.id}-${key}`}"
          >${f.names[key]}</label
        >
        <input
          class="govuk-input govuk-date-input__input govuk-input--width-${width} ${f.error ? 'govuk-input--error' : ''}"
          id="${first ? f.id : `${f.id}-${key}`}"
          name="${f.name ?? f.id}-${key}"
          type="text"
          inputmode="numeric"
          value="${f.parts[key] ?? ''}"
        />
      </div>
    </div>`;
  return group(
    f.error,
    fieldset(
      f.label,
      html`${hintOf(f.id, f.hint)} ${errorMessage(f.id, f.errorPrefix, f.error)}
        <div class="govuk-date-input" id="${f.id}-date">
          ${part('day', 2, true)} ${part('month', 2, false)} ${part('year', 4, false)}
        </div>`,
      { heading: f.heading ?? false, by, role: 'group' },
    ),
  );
}

export const button = (
  text: string,
  opts: { secondary?: boolean; name?: string; value?: string } = {},
) =>
  html`<button
    type="submit"
    class="govuk-button ${opts.secondary ? 'govuk-button--secondary' : ''}"
    data-module="govuk-button"
    ${opts.name ? html`name="${opts.name}" value="${opts.value ?? ''}"` : ''}
  >
    ${text}
  </button>`;

export const csrfInput = (token: string) =>
  html`<input type="hidden" name="_csrf" value="${token}" />`;
