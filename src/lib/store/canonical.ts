/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, numbers as ECMAScript
 * prints them. Two peers that hold equal values produce equal bytes, so hashes agree.
 * `undefined` object members are dropped (as JSON does); non-finite numbers, `undefined` in
 * arrays and values JSON cannot express are refused rather than silently changed.
 *
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, '$');
  return parts.join('');
}

function write(value: unknown, out: string[], path: string): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, not a finite number`);
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`${path} is a ${typeof value}, which canonical JSON cannot hold`);
  }

  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      if (item === undefined) throw new TypeError(`${path}[${index}] is undefined`);
      write(item, out, `${path}[${index}]`);
    });
    out.push(']');
    return;
  }

  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`${path} is a ${prototype?.constructor?.name ?? 'object'}, not plain data`);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((key, index) => {
    if (index > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(record[key], out, `${path}.${key}`);
  });
  out.push('}');
}
