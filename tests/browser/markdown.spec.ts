import { expect, test } from './support/fixtures';

// The unit tests cover the Markdown step in Node; this one covers what reaches a real DOM,
// after DOMPurify, in the page that shows a model's description.
test('a hostile model description renders as text and safe links only', async ({ page }) => {
  const alerts: string[] = [];
  page.on('dialog', async (dialog) => {
    alerts.push(dialog.message());
    await dialog.dismiss();
  });

  await page.goto('/models/new');
  await page.getByRole('button', { name: 'Later' }).click();
  await page.getByLabel('Name', { exact: true }).fill('hostile');
  await page
    .getByLabel('Description')
    .fill(
      [
        '# Notes',
        '<script>alert("script")</script>',
        '<img src=x onerror="alert(\'img\')">',
        '[click me](javascript:alert("link"))',
        '[sneaky](jav&#x61;script:alert("entity"))',
        '[paper](https://example.com/paper)',
      ].join('\n\n'),
    );
  await page.getByTestId('create-model').click();
  await page.waitForURL(/\/models\/hostile$/);

  const description = page.locator('.markdown').first();
  await expect(description.getByRole('heading', { name: 'Notes' })).toBeVisible();
  await expect(description).toContainText('<script>alert("script")</script>');
  await expect(description.locator('script, img, [onerror]')).toHaveCount(0);

  const hrefs = await description
    .locator('a')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  expect(hrefs).toEqual(['https://example.com/paper']);
  await expect(description.getByRole('link', { name: 'paper' })).toHaveAttribute(
    'rel',
    'noopener noreferrer',
  );
  expect(alerts).toEqual([]);
});
