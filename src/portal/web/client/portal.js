// Progressive enhancement only: every portal page works without this file.
import { initAll } from './govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();

// Refuse an oversized file before it is sent (the server checks again, whatever arrives).
for (const input of document.querySelectorAll('input[type=file][data-max-bytes]')) {
  input.addEventListener('change', () => {
    const max = Number(input.dataset.maxBytes);
    const file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > max ? input.dataset.tooBig || '' : '');
    input.reportValidity();
  });
}
