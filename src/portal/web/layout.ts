/**
 * The portal's page frame: the force's name and colours (no GOV.UK branding), the language
 * switcher on every page, the error summary, and the promise we never break (no passcodes,
 * no moving money). Built on GOV.UK Frontend's template classes.
 */
import { html, type Html } from '../../shared/html.ts';
import { LANG_NAMES, LANGS, LOCALES, type Lang, type Translate } from '../i18n/i18n.ts';
import { errorSummary, type Errors } from './components.ts';

export interface PortalFrame {
  t: Translate;
  lang: Lang;
  forceName: string;
  /** The page's title (also its h1 unless the page writes its own). */
  title: string;
  /** The path of this page, for the language links (without the query). */
  path: string;
  errors?: Errors;
  back?: string;
  /** The page writes its own h1 (a question as a legend or label). */
  ownHeading?: boolean;
  /** Signed in to a report: show "Sign out". */
  signedIn?: { csrf: string };
}

export function portalPage(f: PortalFrame, body: Html): string {
  const errors = f.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const title = `${hasErrors ? `${f.t('error.prefix')} ` : ''}${f.title} – ${f.forceName}`;
  return `<!doctype html>${html`<html lang="${LOCALES[f.lang]}" class="govuk-template">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>${title}</title>
      <link rel="stylesheet" href="/report/assets/portal.css" />
      <script type="module" src="/report/assets/portal.js"></script>
    </head>
    <body class="govuk-template__body">
      <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link"
        >${f.t('frame.skip')}</a
      >
      <header class="portal-header">
        <div class="govuk-width-container">
          <p class="portal-header__name">${f.forceName}</p>
          <p class="portal-header__service">${f.t('frame.service')}</p>
          <nav aria-label="${f.t('lang.switch')}">
            <ul class="portal-lang">
              ${LANGS.map(
                (l) =>
                  html`<li>
                    <a
                      href="${f.path}?lang=${l}"
                      lang="${LOCALES[l]}"
                      hreflang="${LOCALES[l]}"
                      ${l === f.lang ? html`aria-current="true"` : ''}
                      >${LANG_NAMES[l]}</a
                    >
                  </li>`,
              )}
            </ul>
          </nav>
        </div>
      </header>
      <div class="govuk-width-container">
        ${f.back ? html`<a href="${f.back}" class="govuk-back-link">${f.t('frame.back')}</a>` : ''}
        <main class="govuk-main-wrapper" id="main-content">
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
              ${errorSummary(f.t('error.title'), errors)}
              ${f.ownHeading ? '' : html`<h1 class="govuk-heading-l">${f.title}</h1>`} ${body}
            </div>
          </div>
        </main>
        <footer class="portal-footer">
          <p class="govuk-body govuk-inset-text portal-never">${f.t('frame.never')}</p>
          ${
            f.signedIn
              ? html`<form method="post" action="/report/sign-out">
                  <input type="hidden" name="_csrf" value="${f.signedIn.csrf}" />
                  <button type="submit" class="govuk-button govuk-button--secondary">
                    ${f.t('frame.signOut')}
                  </button>
                </form>`
              : ''
          }
        </footer>
      </div>
    </body>
  </html>`}`;
}
