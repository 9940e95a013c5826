import { AddressInfo } from 'node:net';
import { Browser, Locator, Page, chromium } from 'playwright-core';
import { describeEachBackend } from '@nest-event-store/core/testing';
import { EventJson, appendVia, getAs } from './helpers/events';
import { TestApp, openTestApp } from './helpers/test-app';
import { BROWSER_SETTING, artifactPath, findChromium } from './console/browser';
import { PoisonModule, PoisonSubscriber } from './console/poison.subscriber';

// The audit console in headless Chromium against the API on the PostgreSQL
// server (one backend keeps the run short; the API routes it calls run on both
// in console-api.e2e-spec.ts). Each main view leaves a screenshot in artifacts/console/.
const TENANT = 'console-ui';
const OTHER = 'console-other';
const OTHER_MARKER = 'other-tenant-secret';
const NOTES = 70;

const describeBrowser = BROWSER_SETTING === 'off' ? describe.skip : describe;

describeBrowser('audit console in Chromium', () => {
  describeEachBackend(
    'console',
    (mode) => {
      let t: TestApp;
      let browser: Browser;
      let page: Page;
      let baseUrl: string;
      let secretEvent: EventJson;

      beforeAll(async () => {
        const chromiumPath = findChromium();
        if ('missing' in chromiumPath) throw new Error(chromiumPath.missing);
        PoisonSubscriber.healed = false;
        t = await openTestApp(mode, { devTokens: true }, { imports: [PoisonModule] });
        await t.app.listen(0, '127.0.0.1');
        baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
        browser = await chromium.launch({ executablePath: chromiumPath.path, args: ['--no-sandbox'] });
        page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
        await seed();
      }, 180_000);
      afterAll(async () => {
        await browser?.close();
        await t?.close();
      });

      async function seed(): Promise<void> {
        const token = t.token(TENANT);
        const notes = Array.from({ length: NOTES }, (_, i) => ({ eventType: 'CustomerNoteAdded', data: { note: `note ${i}` } }));
        await appendVia(t, token, 'cust-shared', notes, { aggregateType: 'Customer' });
        [secretEvent] = await appendVia(
          t,
          token,
          'cust-shared',
          [{ eventType: 'CustomerEmailChanged', data: { email: 'zebra@example.com' }, metadata: { subjectId: 'subject-9' } }],
          { aggregateType: 'Customer' },
        );
        await appendVia(t, token, 'req-ui', [
          { eventType: 'RequirementCreated', data: { title: 'Audit trail' } },
          { eventType: 'RequirementApproved', eventVersion: 1, data: { by: 'bob' } },
        ]);
        await appendVia(t, token, 'pill-1', [{ eventType: 'PoisonPill', data: {} }], { aggregateType: 'Pill' });
        // Another tenant with the same stream id and a marker that must never show.
        await appendVia(t, t.token(OTHER), 'cust-shared', [{ eventType: 'CustomerNoteAdded', data: { note: OTHER_MARKER } }], {
          aggregateType: 'Customer',
        });
      }

      const total = NOTES + 1 + 2 + 1;
      const view = (name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
      const expectNoOtherTenant = async () => expect(await page.content()).not.toContain(OTHER_MARKER);

      it('signs in with the development button and pages through the timeline by scrolling (infinite scroll)', async () => {
        await page.goto(`${baseUrl}/console`);
        await page.getByLabel('Tenant').fill(TENANT);
        await page.getByRole('button', { name: 'Mint a development token' }).click();
        await hasText(page.getByTestId('tenant'), TENANT);
        await page.getByTestId('timeline-count').getByText('50 event(s) shown, more below').waitFor();
        // Only scrolling: the sentinel at the end of the list coming into view loads the next page.
        await page.mouse.wheel(0, 100_000);
        await page.getByTestId('timeline-count').getByText(`${total} event(s) shown`, { exact: true }).waitFor();
        expect(await page.getByTestId('timeline').locator('li.event').count()).toBe(total);
        await expectNoOtherTenant();
        await page.screenshot({ path: artifactPath('timeline'), fullPage: false });
      });

      it('filters by event type and keyword, and opens an event: payload, metadata, the version it was upcast from', async () => {
        await page.getByLabel('Event types (comma-separated)').fill('RequirementApproved');
        await page.getByRole('button', { name: 'Apply filters' }).click();
        await page.getByTestId('timeline-count').getByText('1 event(s) shown', { exact: true }).waitFor();
        await page
          .getByTestId('timeline')
          .getByRole('button', { name: /RequirementApproved/ })
          .click();
        await hasText(page.getByTestId('schema-version'), 'v3 (upcast from stored v1)');
        expect(await page.getByLabel('Payload', { exact: true }).textContent()).toContain('"approverRole": "REVIEWER"');
        expect(await page.getByLabel('Metadata', { exact: true }).textContent()).toContain('"userId": "alice"');
        await page.screenshot({ path: artifactPath('event-details'), fullPage: true });

        await page.getByRole('button', { name: 'Clear' }).click();
        await page.getByLabel('Keyword in payload').fill('zebra');
        await page.getByLabel('Keyword in payload').press('Enter');
        await page.getByTestId('timeline-count').getByText('1 event(s) shown', { exact: true }).waitFor();
        expect(await page.getByTestId('timeline').locator('li.event').getAttribute('data-event-id')).toBe(secretEvent.eventId);
      });

      it('redacts the opened event (DPO) and shows its redaction; the API agrees', async () => {
        await page
          .getByTestId('timeline')
          .getByRole('button', { name: /CustomerEmailChanged/ })
          .click();
        await hasText(page.getByTestId('redaction-status'), 'not redacted');
        await page.getByLabel('Reason for redaction').fill('art. 17 request 9');
        await page.getByRole('button', { name: 'Redact this event' }).click();
        await page
          .getByTestId('redaction-status')
          .getByText(/^redacted at /)
          .waitFor();
        expect(await page.getByLabel('Payload', { exact: true }).textContent()).not.toContain('zebra');
        await page.screenshot({ path: artifactPath('redacted'), fullPage: true });
        expect((await getAs(t, t.token(TENANT), `/api/events/${secretEvent.eventId}`)).body.isRedacted).toBe(true);
      });

      it("shows one stream's history and its state at a chosen version, without the other tenant's stream of the same id", async () => {
        await view('Stream').click();
        await page.getByLabel('Aggregate id').fill('cust-shared');
        await page.getByRole('button', { name: 'Show history' }).click();
        await page.getByTestId('stream-state').waitFor();
        expect(JSON.parse((await page.getByTestId('stream-state').textContent())!)).toEqual({ note: `note ${NOTES - 1}` });
        // Keyboard on the slider: Home goes to version 1.
        await page.getByRole('slider', { name: /State at version/ }).focus();
        await page.keyboard.press('Home');
        expect(JSON.parse((await page.getByTestId('stream-state').textContent())!)).toEqual({ note: 'note 0' });
        await expectNoOtherTenant();
        await page.screenshot({ path: artifactPath('stream'), fullPage: false });
      });

      it('charts events per type and per day', async () => {
        await view('Statistics').click();
        // The redaction above appended a $EventsRedacted marker to the tenant's log: it counts too.
        const stats = (await getAs(t, t.token(TENANT), '/api/events/stats')).body;
        expect(stats).toMatchObject({ totalEvents: total + 1, redactedEvents: 1 });
        await containsText(page.getByTestId('stats-summary'), `${total + 1} events, 1 redacted`);
        await page.getByRole('img', { name: /Events per day/ }).waitFor();
        expect(await page.getByRole('img', { name: 'Events per type' }).locator('rect').count()).toBe(
          Object.keys(stats.byEventType).length,
        );
        await page.screenshot({ path: artifactPath('statistics'), fullPage: true });
      });

      it('lists subscriptions and projections with lag, and retries a dead letter (writer)', async () => {
        await view('Delivery').click();
        await page.getByTestId('dead-letters').getByText('PoisonPill').waitFor({ timeout: 20_000 });
        await containsText(page.getByTestId('subscriptions'), 'requirement-status-board');
        await page.screenshot({ path: artifactPath('delivery'), fullPage: true });
        PoisonSubscriber.healed = true;
        await page.getByTestId('dead-letters').getByRole('button', { name: 'Retry' }).click();
        await hasText(page.getByTestId('retry-result'), 'Retry of console-test-poison: 1 succeeded, 0 failed again.');
        await page.getByText('None.').waitFor();
      });

      it('erases a data subject (DPO) and shows the result', async () => {
        await appendVia(
          t,
          t.token(TENANT),
          'cust-2',
          [{ eventType: 'CustomerRegistered', data: { name: 'Ann' }, metadata: { subjectId: 'subject-ann' } }],
          {
            aggregateType: 'Customer',
          },
        );
        await view('GDPR').click();
        await page.getByLabel('Subject id').fill('subject-ann');
        await page.getByLabel('Erasure reason').fill('erasure request 12');
        await page.getByRole('button', { name: 'Erase', exact: true }).click();
        await containsText(page.getByTestId('erase-result'), 'Subject subject-ann: 1 event(s) redacted.');
        await page.screenshot({ path: artifactPath('gdpr'), fullPage: true });
      });

      it("signs in with a pasted token of another tenant and sees only that tenant's events", async () => {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByLabel('Bearer token').fill(t.token(OTHER, ['auditor']));
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByTestId('timeline-count').getByText('1 event(s) shown', { exact: true }).waitFor();
        expect(await page.getByTestId('timeline').textContent()).toContain('CustomerNoteAdded');
        expect(await page.content()).not.toContain('CustomerEmailChanged');
        // An auditor alone sees neither GDPR nor redaction.
        expect(await view('GDPR').count()).toBe(0);
      });

      it('works on a narrow screen with the keyboard alone: labelled fields, visible focus', async () => {
        await page.setViewportSize({ width: 360, height: 740 });
        await page.getByRole('button', { name: 'Sign out' }).focus();
        await page.keyboard.press('Tab');
        // Strings, not functions: the test's TypeScript has no DOM types.
        const focused = await page.evaluate(`({
          text: document.activeElement.textContent,
          outline: getComputedStyle(document.activeElement).outlineStyle,
          width: document.documentElement.scrollWidth,
        })`);
        expect(focused).toEqual({ text: 'Timeline', outline: 'solid', width: 360 });
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        await page.getByLabel('Aggregate id').waitFor();
        const unlabelled = await page.evaluate(
          `[...document.querySelectorAll('input, textarea')].filter((el) => !el.labels.length).length`,
        );
        expect(unlabelled).toBe(0);
        await view('Timeline').click();
        await page.getByTestId('timeline').locator('li.event').first().waitFor();
        await page.screenshot({ path: artifactPath('narrow-timeline'), fullPage: true });
      });
    },
    ['server'],
  );
});

/** Waits until the element's text is exactly `text` (the views render asynchronously). */
async function hasText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).waitFor({ timeout: 10_000 });
  expect((await locator.textContent())?.trim()).toBe(text);
}

/** Waits until the element's text contains `text`. */
async function containsText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).waitFor({ timeout: 10_000 });
}
