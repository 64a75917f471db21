// Renders the PNG app icons from static/favicon.svg in Chromium, so that the manifest's icons,
// the Apple touch icon and the favicon stay one drawing. Run `node scripts/make-icons.mjs`
// after changing the favicon, and commit the PNGs it writes.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumArgs, findChromium } from './chromium.mjs';

const staticDir = fileURLToPath(new URL('../static/', import.meta.url));

// A maskable icon's safe zone is the centred circle whose radius is 40% of the icon's size.
const maskableSafeRadius = 0.4;

/**
 * Plain icons keep the favicon's rounded, transparent corners. Full-bleed icons fill the
 * square, because the platform cuts its own shape out of them (Android's maskable icons,
 * iOS's touch icons) and paints transparency black; their glyph shrinks by `glyphScale` to
 * stay inside `safeRadius`, the part every mask keeps.
 */
const icons = [
  { file: 'icons/icon-192.png', size: 192, fullBleed: false, glyphScale: 1, safeRadius: null },
  { file: 'icons/icon-512.png', size: 512, fullBleed: false, glyphScale: 1, safeRadius: null },
  {
    file: 'icons/icon-maskable-512.png',
    size: 512,
    fullBleed: true,
    glyphScale: 0.8,
    safeRadius: maskableSafeRadius,
  },
  { file: 'apple-touch-icon.png', size: 180, fullBleed: true, glyphScale: 0.9, safeRadius: null },
];

/**
 * Lays the favicon out for one icon, in the page. Returns the distance from the centre to the
 * farthest corner of the glyph's box, as a fraction of the icon's size.
 *
 * @param {{ svg: string, fullBleed: boolean, glyphScale: number }} layout
 */
function layOut({ svg, fullBleed, glyphScale }) {
  document.body.innerHTML = svg;
  const root = /** @type {SVGSVGElement} */ (document.querySelector('svg'));
  root.setAttribute('width', '100%');
  root.setAttribute('height', '100%');
  const box = root.viewBox.baseVal;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];

  const backdrop = root.querySelector(':scope > rect');
  if (fullBleed) backdrop?.removeAttribute('rx');
  const glyph = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  glyph.setAttribute(
    'transform',
    `translate(${cx} ${cy}) scale(${glyphScale}) translate(${-cx} ${-cy})`,
  );
  for (const part of [...root.children]) if (part !== backdrop) glyph.append(part);
  root.append(glyph);

  const drawn = glyph.getBoundingClientRect();
  const frame = root.getBoundingClientRect();
  const [mx, my] = [frame.left + frame.width / 2, frame.top + frame.height / 2];
  const dx = Math.max(Math.abs(drawn.left - mx), Math.abs(drawn.right - mx));
  const dy = Math.max(Math.abs(drawn.top - my), Math.abs(drawn.bottom - my));
  return Math.hypot(dx, dy) / frame.width;
}

async function main() {
  const svg = await readFile(`${staticDir}favicon.svg`, 'utf8');
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  try {
    for (const icon of icons) {
      const page = await browser.newPage({
        viewport: { width: icon.size, height: icon.size },
        deviceScaleFactor: 1,
      });
      await page.setContent('<style>html,body{margin:0;overflow:hidden}</style><body></body>');
      const reach = await page.evaluate(layOut, { svg, ...icon });
      if (icon.safeRadius !== null && reach > icon.safeRadius) {
        throw new Error(
          `${icon.file}: the glyph reaches ${reach.toFixed(3)} of the icon's size from its ` +
            `centre, past the safe zone (${icon.safeRadius}). Lower its glyphScale.`,
        );
      }

      const path = `${staticDir}${icon.file}`;
      await mkdir(dirname(path), { recursive: true });
      await page.screenshot({ path, omitBackground: true });
      await page.close();
      console.log(`wrote static/${icon.file} (${icon.size}x${icon.size})`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
