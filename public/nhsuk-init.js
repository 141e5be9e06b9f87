// Starts the NHS.UK frontend's components (header menu, buttons, error summary focus).
// Pages work without it; it only enhances them.
import { initAll } from './nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('nhsuk-frontend-supported')
}
initAll()
