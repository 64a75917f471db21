/**
 * Markdown descriptions made safe to put in the page. Two layers: the Markdown step itself
 * writes raw HTML out as text and drops links whose scheme is not on an allow-list; DOMPurify
 * then cleans the result in the browser. Where no DOM is available the text is escaped whole,
 * so a missing sanitiser can never let markup through.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

type Purifier = typeof DOMPurify;

const linkSchemes = new Set(['http:', 'https:', 'mailto:']);
const imageSchemes = new Set(['http:', 'https:']);

/** Escapes the five characters that mean something in HTML. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Whether a link target may be followed: an allowed scheme, a path, a query or a fragment.
 * Anything else is refused, including a scheme hidden behind character references
 * (`jav&#x61;script:`) or control characters, because the first path segment of a relative
 * link may hold only plain URL characters.
 */
export function isSafeHref(href: string, schemes: Set<string> = linkSchemes): boolean {
  const trimmed = href.trim();
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(trimmed);
  if (scheme) return schemes.has(scheme[1].toLowerCase());

  if (/^[/?#]/.test(trimmed) || /^\.\.?\//.test(trimmed)) return true;

  const firstSegment = trimmed.split(/[/?#]/, 1)[0];
  return /^[\w.~%-]*$/.test(firstSegment);
}

const markdown = new Marked({ gfm: true, breaks: false });

markdown.use({
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link(token: Tokens.Link): string | false {
      if (isSafeHref(token.href)) return false;
      return this.parser.parseInline(token.tokens);
    },
    image(token: Tokens.Image): string | false {
      if (isSafeHref(token.href, imageSchemes)) return false;
      return escapeHtml(token.text);
    },
  },
});

/** Markdown to HTML with raw HTML escaped and unsafe links and images dropped. */
export function markdownToHtml(source: string): string {
  return markdown.parse(source, { async: false });
}

const configured = new WeakSet<Purifier>();

function prepare(purifier: Purifier): Purifier {
  if (configured.has(purifier)) return purifier;

  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName !== 'A' || !node.hasAttribute('href')) return;
    // Links open outside the app and must not get a handle on it.
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  });
  configured.add(purifier);
  return purifier;
}

/**
 * Markdown to HTML that is safe to insert with `{@html}`.
 *
 * @example
 *   renderMarkdown('**Bold** <script>x()</script>') // '<p><strong>Bold</strong> &lt;script…'
 */
export function renderMarkdown(source: string, purifier: Purifier = DOMPurify): string {
  if (!purifier.isSupported) return `<p>${escapeHtml(source)}</p>`;

  return prepare(purifier).sanitize(markdownToHtml(source), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
    FORBID_ATTR: ['style'],
  });
}
