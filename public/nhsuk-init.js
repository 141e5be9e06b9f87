// Starts the NHS.UK frontend's components (header menu, buttons, error summary focus).
// Pages work without it; it only enhances them.
import { initAll } from './nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('nhsuk-frontend-supported')
}
initAll()

// Search-as-you-type over the register of NHS organisations. A search box marked
// `data-organisation-search` names the element its results go in (`data-results`); as the
// person types, the register's API is asked and the results are drawn as the server draws
// them: an NHS.UK responsive table with an Add button per organisation. Each button does what
// the server's own does: inside the page's form (`action=add:CODE`, nothing typed is lost), or
// a small form posting `action=add` and `ods_code` to `data-post-to`. Without JavaScript, the
// Search button beside the box does the same on the server.
function responsiveCell (heading, content, header) {
  const cell = document.createElement(header ? 'th' : 'td')
  cell.setAttribute('role', header ? 'rowheader' : 'cell')
  if (header) cell.setAttribute('scope', 'row')
  cell.className = header ? 'nhsuk-table__header' : 'nhsuk-table__cell'
  const label = document.createElement('span')
  label.className = 'nhsuk-table-responsive__heading'
  label.setAttribute('aria-hidden', 'true')
  label.textContent = heading + ' '
  const value = document.createElement('span')
  value.append(...content)
  cell.append(label, value)
  return cell
}

function addButton (found, postTo) {
  const button = document.createElement('button')
  button.className = 'exemplar-link-button'
  button.type = 'submit'
  const hidden = document.createElement('span')
  hidden.className = 'nhsuk-u-visually-hidden'
  hidden.textContent = ` ${found.name} (${found.code})`
  button.append('Add', hidden)
  if (!postTo) {
    button.name = 'action'
    button.value = `add:${found.code}`
    return button
  }
  const form = document.createElement('form')
  form.method = 'post'
  form.action = postTo
  for (const [name, value] of [['action', 'add'], ['ods_code', found.code]]) {
    const input = document.createElement('input')
    input.type = 'hidden'
    input.name = name
    input.value = value
    form.append(input)
  }
  form.append(button)
  return form
}

function resultsTable (query, list, postTo) {
  const table = document.createElement('table')
  table.className = 'nhsuk-table-responsive'
  table.setAttribute('role', 'table')
  const caption = table.createCaption()
  caption.className = 'nhsuk-table__caption nhsuk-table__caption--s'
  caption.textContent = `Organisations matching "${query}"`
  const head = table.createTHead()
  head.className = 'nhsuk-table__head'
  head.setAttribute('role', 'rowgroup')
  const headRow = head.insertRow()
  headRow.className = 'nhsuk-table__row'
  headRow.setAttribute('role', 'row')
  for (const name of ['ODS code', 'Name', 'Type', 'Where', 'Action']) {
    const th = document.createElement('th')
    th.className = 'nhsuk-table__header'
    th.setAttribute('role', 'columnheader')
    th.setAttribute('scope', 'col')
    if (name === 'Action') {
      const hidden = document.createElement('span')
      hidden.className = 'nhsuk-u-visually-hidden'
      hidden.textContent = name
      th.append(hidden)
    } else {
      th.textContent = name
    }
    headRow.append(th)
  }
  const body = table.createTBody()
  body.className = 'nhsuk-table__body'
  for (const found of list) {
    const row = body.insertRow()
    row.className = 'nhsuk-table__row'
    row.setAttribute('role', 'row')
    const name = [found.name]
    if (found.closed) {
      const tag = document.createElement('strong')
      tag.className = 'nhsuk-tag nhsuk-tag--grey'
      tag.textContent = found.closed
      name.push(document.createElement('br'), tag)
    }
    row.append(
      responsiveCell('ODS code', [found.code]),
      responsiveCell('Name', name, true),
      responsiveCell('Type', [found.type]),
      responsiveCell('Where', [found.place]),
      responsiveCell('Action', [addButton(found, postTo)])
    )
  }
  return table
}

function enhanceOrganisationSearch (input) {
  const results = document.getElementById(input.dataset.results)
  if (!results) return
  const postTo = input.dataset.postTo
  const status = document.createElement('div')
  status.className = 'nhsuk-u-visually-hidden'
  status.setAttribute('role', 'status')
  input.parentElement.append(status)
  let timer = null
  let asked = 0
  const search = async () => {
    const query = input.value.trim()
    if (query.length < 2) return
    const mine = ++asked
    let list
    try {
      const response = await fetch(`/api/v1/organisations?q=${encodeURIComponent(query)}`, {
        headers: { Accept: 'application/json' }
      })
      if (!response.ok) return
      list = (await response.json()).organisations
    } catch {
      return // The Search button still works.
    }
    if (mine !== asked) return // A later search has been asked for.
    if (list.length === 0) {
      const none = document.createElement('p')
      none.textContent = `No NHS organisation matches "${query}". Try part of its name, its town or its ODS code.`
      results.replaceChildren(none)
      status.textContent = 'No organisations found'
      return
    }
    results.replaceChildren(resultsTable(query, list, postTo))
    status.textContent = list.length === 1 ? '1 organisation found' : `${list.length} organisations found`
  }
  input.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(search, 250)
  })
}

document.querySelectorAll('input[data-organisation-search]').forEach(enhanceOrganisationSearch)
