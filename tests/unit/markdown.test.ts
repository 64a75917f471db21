import { describe, expect, it } from 'vitest';
import DOMPurify from 'dompurify';
import { escapeHtml, isSafeHref, markdownToHtml, renderMarkdown } from '../../src/lib/ui/markdown';

describe('markdownToHtml', () => {
  it('renders ordinary Markdown', () => {
    const html = markdownToHtml('# Title\n\nSome **bold** and `code`.');

    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
  });

  it.each([
    ['a script block', '<script>alert(1)</script>', '<script'],
    ['an inline element with a handler', 'Hi <img src=x onerror="alert(1)"> there', '<img'],
    ['an iframe', '<iframe src="https://example.com"></iframe>', '<iframe'],
    ['an html comment', '<!-- <script>x()</script> -->', '<!--'],
  ])('writes %s out as text', (_case, source, forbidden) => {
    const html = markdownToHtml(source);

    expect(html).not.toContain(forbidden);
    expect(html).toContain('&lt;');
  });

  it.each([
    ['[click](javascript:alert(1))'],
    ['[click](JaVaScRiPt:alert(1))'],
    ['[click]( javascript:alert(1) )'],
    ['[click](jav&#x61;script:alert(1))'],
    ['[click](data:text/html;base64,PHNjcmlwdD4=)'],
    ['[click](vbscript:msgbox)'],
    ['<javascript:alert(1)>'],
  ])('keeps the text of %s but drops its link', (source) => {
    const html = markdownToHtml(source);

    expect(html).not.toMatch(/<a\b/i);
    expect(html).not.toMatch(/href/i);
    expect(html).toContain('</p>');
  });

  it('keeps web, mail, relative and fragment links', () => {
    const html = markdownToHtml(
      '[a](https://example.com/x) [b](mailto:team@example.com) [c](/models/x) [d](#top)',
    );

    expect(html).toContain('href="https://example.com/x"');
    expect(html).toContain('href="mailto:team@example.com"');
    expect(html).toContain('href="/models/x"');
    expect(html).toContain('href="#top"');
  });

  it('drops images that are not on the web', () => {
    const html = markdownToHtml('![chart](data:image/svg+xml;base64,PHN2Zz4=)');

    expect(html).not.toContain('<img');
    expect(html).toContain('chart');
  });
});

describe('isSafeHref', () => {
  it.each([
    ['https://example.com', true],
    ['relative/path:with-colon', true],
    ['?q=a:b', true],
    ['mailto:a@b.c', true],
    ['javascript:void(0)', false],
    ['  JAVASCRIPT:void(0)', false],
    ['file:///etc/passwd', false],
    ['jav&#x61;script:alert(1)', false],
    ['&#106;avascript:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['docs/readme.md', true],
    ['../sibling', true],
  ])('%s -> %s', (href, safe) => {
    expect(isSafeHref(href)).toBe(safe);
  });
});

describe('renderMarkdown', () => {
  it('escapes everything when no DOM is there to sanitise with', () => {
    expect(DOMPurify.isSupported).toBe(false);

    const html = renderMarkdown('**x** <b onclick="y()">z</b>');

    expect(html).toBe(`<p>${escapeHtml('**x** <b onclick="y()">z</b>')}</p>`);
    expect(html).not.toContain('<b');
  });
});
