// Browser tests of the interactive notebooks (issue #10), run by run.sh:
// headless Debian chromium, driven by playwright-core, against Jupyter's notebook
// server with the GoNB kernel. MFE_JUPYTER_URL is the server, MFE_JUPYTER_TOKEN its
// token (if it asks for one), MFE_NOTEBOOK_PREFIX the notebooks' folder below its root
// (default "notebooks/"), MFE_SCREENSHOTS the folder for screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.env.MFE_JUPYTER_URL;
const token = process.env.MFE_JUPYTER_TOKEN || '';
const prefix = process.env.MFE_NOTEBOOK_PREFIX ?? 'notebooks/';
const shots = process.env.MFE_SCREENSHOTS || '.';
const only = process.env.MFE_BROWSER_TESTS || '';
const minutes = (m) => m * 60 * 1000;

// The flags the machine needs: no sandbox as root, no GPU, and no background
// connections (the network is closed).
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

async function openNotebook(browser, name) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${base}/notebooks/${prefix}${name}` + (token ? `?token=${encodeURIComponent(token)}` : ''));
  await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: minutes(2) });
  // Never write over the workspace copy while testing.
  await page.evaluate(() => Jupyter.notebook.set_autosave_interval(0));
  return { page, consoleErrors };
}

// Outputs that show an error: Jupyter error outputs, GoNB's compile errors and panics.
async function cellErrors(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const o of document.querySelectorAll('.output_area')) {
      const t = o.innerText;
      if (o.querySelector('.output_error') || /^panic:|goroutine \d+ \[|failed to run "/m.test(t)) {
        bad.push(t.slice(0, 300));
      }
    }
    return bad;
  });
}

async function kernelIdle(page, timeout) {
  await page.waitForFunction(() => !Jupyter.notebook.kernel_busy &&
    !Jupyter.notebook.get_cells().some((c) => c.element?.hasClass?.('running')), null, { timeout });
}

test('00_exact_solution: run all, move sliders, the figure is redrawn in place', { skip: only !== '' && only !== 'explorer', timeout: minutes(25) }, async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: launchArgs });
  try {
    const { page } = await openNotebook(browser, '00_exact_solution.ipynb');
    // Run all, through the menu as a person would.
    await page.click('#celllink');
    await page.click('#run_all_cells');
    const out = page.locator('.mfe-explorer-out');
    await page.waitForSelector('.mfe-explorer-out[data-render="1"] img', { timeout: minutes(15) });
    await page.waitForSelector('.mfe-explorer select', { timeout: minutes(2) });
    await page.waitForSelector('.mfe-explorer button', { timeout: minutes(2) });
    assert.deepEqual(await cellErrors(page), [], 'no cell shows an error before the explorer');
    // Every cell above the explorer ran and drew its figures.
    const figures = await page.locator('.output_png img').count();
    assert.ok(figures >= 6, `static figures above the explorer: ${figures}`);
    assert.equal(await out.getAttribute('data-state'), 'ok');

    // Move the price-impact slider with the keyboard: 1.75 -> 1.25.
    const src0 = await out.locator('img').getAttribute('src');
    const gamma = page.locator('.mfe-explorer tr[data-param="gamma"] input[type=range]');
    await gamma.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('.mfe-explorer-out')?.innerText.includes('γ=1.25'), null, { timeout: minutes(2) });
    assert.equal(await page.locator('.mfe-explorer tr[data-param="gamma"] td:last-child').innerText(), '1.25');
    assert.equal(await out.getAttribute('data-state'), 'ok');
    const src1 = await out.locator('img').getAttribute('src');
    assert.notEqual(src1, src0, 'the figure changed with γ');
    await page.locator('.mfe-explorer').screenshot({ path: `${shots}/explorer-controls.png` });
    await page.screenshot({ path: `${shots}/explorer-page.png`, fullPage: true });
    await page.locator('.mfe-explorer').locator('xpath=ancestor::div[contains(@class,"output_wrapper")]').screenshot({ path: `${shots}/explorer.png` });

    // An invalid value (cα = 0) shows a message in place; the cell keeps running.
    const ca = page.locator('.mfe-explorer tr[data-param="ca"] input[type=range]');
    await ca.focus();
    await page.keyboard.press('Home');
    await page.waitForSelector('.mfe-explorer-out[data-state="error"]', { timeout: minutes(2) });
    assert.match(await out.locator('.mfe-error').innerText(), /invalid parameter ca = 0: must be > 0/);
    assert.deepEqual(await cellErrors(page), [], 'an invalid value is no cell error');
    assert.ok(await page.evaluate(() => Jupyter.notebook.kernel_busy), 'the explorer is still live');

    // Back to a valid value, then the MFC alone: γ = 1.25 and cα = 0.5.
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    await page.waitForSelector('.mfe-explorer-out[data-state="ok"]', { timeout: minutes(2) });
    await page.selectOption('.mfe-explorer select', { label: 'MFC' });
    await page.waitForFunction(() => /cα=0\.5 .*· MFC$/m.test(document.querySelector('.mfe-explorer-out')?.innerText ?? ''), null, { timeout: minutes(2) });
    assert.doesNotMatch(await out.innerText(), /MFG equilibrium cost/);

    // Close ends the cell and leaves the last figure.
    await page.click('.mfe-explorer button:has-text("Close")');
    await kernelIdle(page, minutes(2));
    assert.match(await page.locator('.mfe-note').first().innerText(), /Explorer closed at .*cα=0\.5/);
    assert.equal(await out.locator('img').count(), 1);
    assert.deepEqual(await cellErrors(page), [], 'no cell shows an error');
    const unrun = await page.evaluate(() => Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code' && !c.input_prompt_number).length);
    assert.equal(unrun, 0, 'every code cell ran');
  } finally {
    await browser.close();
  }
});

test('01_direct_mfc: train from the notebook, stop, train again', { skip: only !== '' && only !== 'train', timeout: minutes(20) }, async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: launchArgs });
  try {
    const { page } = await openNotebook(browser, '01_direct_mfc.ipynb');
    // Only the first cell (module) and the panel: the cells between train headless.
    await page.evaluate(() => {
      const n = Jupyter.notebook.ncells();
      Jupyter.notebook.execute_cells([0, 1, n - 1].filter((i) => Jupyter.notebook.get_cell(i).cell_type === 'code'));
    });
    try {
      await page.waitForSelector('.mfe-train button:has-text("Close")', { timeout: minutes(10) });
    } catch (e) {
      // Seen once (1 run in 10): the panel never appeared. Keep what the page showed.
      await page.screenshot({ path: `${shots}/train-panel-missing.png`, fullPage: true });
      console.error(await page.evaluate(() => Jupyter.notebook.get_cells().map((c, i) =>
        `cell ${i} ${c.cell_type} prompt=${c.input_prompt_number ?? '-'} running=${c.element?.hasClass?.('running')} ` +
        `kernel_busy=${Jupyter.notebook.kernel_busy}: ${(c.output_area?.element?.[0]?.innerText ?? '').slice(0, 200)}`).join('\n')));
      throw e;
    }
    const status = page.locator('.mfe-train-status');
    assert.equal(await page.locator('.mfe-train select').nth(1).inputValue(), '0', 'the quick profile is preselected (MFE_PROFILE=quick)');

    await page.click('.mfe-train button:has-text("Train")');
    await page.waitForSelector('.mfe-train-status progress', { timeout: minutes(5) });
    await page.waitForFunction(() => /control_rel=/.test(document.querySelector('.mfe-train-status')?.innerText ?? ''), null, { timeout: minutes(5) });
    assert.ok(await page.locator('.mfe-train button:has-text("Train")').isDisabled(), 'Train is disabled while training');
    await page.click('.mfe-train button:has-text("Stop")');
    await page.waitForSelector('.mfe-train-status[data-state="stopped"]', { timeout: minutes(3) });
    assert.match(await status.innerText(), /stopped by the user after \d+ of 150 epochs/);

    await page.click('.mfe-train button:has-text("Train")');
    await page.waitForSelector('.mfe-train-status[data-state="done"]', { timeout: minutes(10) });
    assert.match(await status.innerText(), /150\/150/);
    assert.equal(await page.locator('.mfe-train-result img').count(), 2, 'learned vs exact and the training curve');
    assert.match(await page.locator('.mfe-train-result table').innerText(), /direct-mfc\s+mfc\s+quick/);
    await page.locator('.mfe-train').locator('xpath=ancestor::div[contains(@class,"output_wrapper")]').screenshot({ path: `${shots}/train-panel.png` });

    await page.click('.mfe-train button:has-text("Close")');
    await kernelIdle(page, minutes(3));
    assert.deepEqual(await cellErrors(page), [], 'no cell shows an error');
  } finally {
    await browser.close();
  }
});
