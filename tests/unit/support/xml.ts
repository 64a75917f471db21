/**
 * A strict, small XML well-formedness check for tests (Node has no DOMParser): a prolog,
 * one root element, tags closed in order, quoted attributes without duplicates or raw `<`,
 * and no text with a bare `&` or `<`. Returns the elements in document order.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** Text directly inside, entities decoded. */
  text: string;
  parent: XmlElement | null;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(text: string, where: string): string {
  if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) {
    throw new Error(`Bare "&" in ${where}: ${text.slice(0, 60)}`);
  }
  return text.replace(ENTITY, (entity) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    const body = entity.slice(1, -1);
    if (body in named) return named[body];
    const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

export function parseXml(source: string): XmlElement[] {
  let rest = source.replace(/^<\?xml [^?]*\?>\s*/, '');
  const elements: XmlElement[] = [];
  const open: XmlElement[] = [];
  let closedRoot = false;
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`);
  const attribute = new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, 'g');

  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt < 0 ? rest : rest.slice(0, lt);
    if (text.trim() !== '') {
      if (open.length === 0) throw new Error(`Text outside the root: ${text.slice(0, 40)}`);
      open[open.length - 1].text += decode(text, `<${open[open.length - 1].name}>`);
    }
    if (lt < 0) break;
    rest = rest.slice(lt);
    const match = tag.exec(rest);
    if (!match) throw new Error(`Malformed tag near: ${rest.slice(0, 60)}`);
    const [whole, closing, name, rawAttributes, selfClosing] = match;
    rest = rest.slice(whole.length);
    if (closing) {
      const top = open.pop();
      if (!top || top.name !== name) throw new Error(`</${name}> closes <${top?.name ?? ''}>`);
      if (open.length === 0) closedRoot = true;
      continue;
    }
    if (closedRoot || (open.length === 0 && elements.length > 0)) {
      throw new Error(`A second root element <${name}>`);
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of rawAttributes.matchAll(attribute)) {
      if (key in attributes) throw new Error(`Duplicate attribute ${key} on <${name}>`);
      attributes[key] = decode(value, `${name}@${key}`);
    }
    const element = { name, attributes, text: '', parent: open[open.length - 1] ?? null };
    elements.push(element);
    if (!selfClosing) open.push(element);
    else if (open.length === 0) closedRoot = true;
  }
  if (open.length > 0) throw new Error(`<${open[open.length - 1].name}> is never closed`);
  if (elements.length === 0) throw new Error('No root element');
  return elements;
}
