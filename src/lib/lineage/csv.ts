/**
 * The small CSV dialect lineage files use (RFC 4180): comma separated, fields quoted with
 * double quotes when they hold a comma, quote or line break, quotes doubled inside. Records
 * remember the line they start on, so import errors can point at it.
 */

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

/** Splits CSV text into records; blank lines are skipped, malformed quoting is reported. */
export function parseCsv(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;

  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '' || wasQuoted) {
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = '';
    wasQuoted = false;
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        const after = source[i + 1];
        if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
          problems.push({ line, message: 'text follows a closing quote; double the quote ("")' });
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }

    if (c === '"' && field === '') {
      quoted = true;
      wasQuoted = true;
    } else if (c === '"') {
      problems.push({ line, message: 'a quote inside an unquoted field; quote the whole field' });
      field += c;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }

  if (quoted) {
    problems.push({ line: recordLine, message: 'a quoted field is never closed' });
  }
  endRecord();
  return { records, problems };
}

/** Quotes a field when it needs it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}
