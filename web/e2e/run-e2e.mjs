// End-to-end journeys against a running server:
//   FAMILYROOM_E2E_URL=http://127.0.0.1:8080 npm run e2e
// Without the variable every test is skipped (and says so).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seriousViolations } from './a11y.mjs';
import { launchBrowser, needs, newMember, screenshot, serverUrl, signUp, waitForPath, waitForUrl } from './harness.mjs';

const base = serverUrl();
const skip = base ? false : 'FAMILYROOM_E2E_URL is not set';

describe('Family Room in a browser', { skip }, () => {
  let launched;

  before(async () => {
    launched = await launchBrowser();
  });
  after(async () => {
    await launched?.close();
  });

  test('the landing page loads with no console errors and offers sign-up', async () => {
    const asha = await newMember(launched.browser, base, { name: 'asha' });
    const scripts = [];
    asha.page.on('response', (r) => /^\/assets\/index-[^/]+\.js$/.test(new URL(r.url()).pathname) && scripts.push(r));
    await asha.page.goto('/');
    await asha.page.getByRole('link', { name: 'Create a family room' }).waitFor();
    // The entry script goes over the wire as the build's gzip sibling.
    assert.ok(scripts.length > 0, 'the entry script loaded');
    for (const response of scripts) assert.equal((await response.allHeaders())['content-encoding'], 'gzip', response.url());
    await screenshot(asha, 'landing');
    assert.deepEqual(await seriousViolations(asha.page), [], 'axe: landing');
    assert.deepEqual(asha.problems, []);
    await asha.context.close();
  });

  test('a new member signs up through the UI and lands on their rooms', async () => {
    const asha = await newMember(launched.browser, base, { name: 'asha' });
    await signUp(asha, { name: 'Asha' });
    await asha.page.getByRole('heading', { name: 'Your family rooms' }).waitFor();
    await screenshot(asha, 'rooms-empty');
    assert.deepEqual(await seriousViolations(asha.page), [], 'axe: rooms');
    await asha.context.close();
  });

  test('a member edits the profile, signs out and in again, and finds it kept', async () => {
    const ravi = await newMember(launched.browser, base, { name: 'ravi', viewport: { width: 390, height: 844 } });
    const creds = await signUp(ravi, { name: 'Ravi' });
    const { page } = ravi;
    await page.goto('/profile');
    await page.getByLabel('Name', { exact: true }).fill('Ravi Sharma');
    await page.getByLabel('Tops').fill('L');
    await page.getByLabel('Shoes').fill('UK9');
    await page.getByRole('button', { name: 'casual' }).click();
    await page.getByLabel('Shop for').selectOption('men');
    await page.getByLabel('Age band').selectOption('35-54');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();
    await screenshot(ravi, 'profile-saved');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await waitForPath(page, '/');
    // Signed out means the tab offers sign-in again, not merely that the URL changed.
    await page.getByRole('navigation').getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto('/profile');
    await waitForPath(page, '/sign-in');
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await page.getByLabel('Email').fill(creds.email);
    await page.getByLabel('Password').fill(creds.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForPath(page, '/profile');
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Ravi Sharma');
    assert.equal(await page.getByLabel('Tops').inputValue(), 'L');
    assert.equal(await page.getByLabel('Age band').inputValue(), '35-54');
    assert.equal(await page.getByRole('button', { name: 'casual' }).getAttribute('aria-pressed'), 'true');
    await ravi.context.close();
  });

  test('validation errors from the server show next to their fields', async () => {
    const meera = await newMember(launched.browser, base, { name: 'meera' });
    await meera.page.goto('/sign-up');
    await meera.page.getByLabel('Your name').fill('Meera');
    await meera.page.getByLabel('Email').fill('not-an-email');
    await meera.page.getByLabel('Password').fill('short');
    await meera.page.getByRole('button', { name: 'Create account' }).click();
    await meera.page.getByText('must be an email address').waitFor();
    await meera.page.getByText('must be at least 10 characters').waitFor();
    assert.equal(await meera.page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    await screenshot(meera, 'signup-errors');
    await meera.context.close();
  });

  test('a reload keeps the session through a silent refresh', async () => {
    const dev = await newMember(launched.browser, base, { name: 'dev' });
    await signUp(dev, { name: 'Dev' });
    await dev.page.goto('/profile');
    // Reloading while a refresh is in flight loses the rotated token (the server
    // then revokes the login): wait for the page to settle first, as a person would.
    await dev.page.getByLabel('Name', { exact: true }).waitFor();
    await dev.page.reload();
    // The access token lived in memory only: the profile loads after a refresh.
    await dev.page.getByLabel('Name', { exact: true }).waitFor();
    assert.equal(await dev.page.getByLabel('Name', { exact: true }).inputValue(), 'Dev');
    await dev.context.close();
  });

  // Two members in separate contexts share one room through the steps below;
  // each step skips itself until the server documents the routes it needs.
  describe('a family room', () => {
    const ROOM_PATHS = ['/api/v1/rooms', '/api/v1/rooms/join', '/api/v1/rooms/{room_id}', '/api/v1/realtime/ticket'];
    const SHOP_PATHS = ['/api/v1/products', '/api/v1/products/{product_id}', '/api/v1/rooms/{room_id}/activities'];
    let asha;
    let ravi;
    let ready = false;

    after(async () => {
      await asha?.context.close();
      await ravi?.context.close();
    });

    test('a member creates a room and another joins through the invite link', async (t) => {
      if (!(await needs(t, base, ROOM_PATHS))) return;
      asha = await newMember(launched.browser, base, { name: 'asha-room' });
      await signUp(asha, { name: 'Asha' });
      await asha.page.getByLabel('Room name').fill('The Sharmas');
      await asha.page.getByRole('button', { name: 'Create room' }).click();
      await waitForPath(asha.page, (p) => /^\/rooms\/[^/]+$/.test(p));
      await asha.page.getByRole('button', { name: 'Invite' }).click();
      const link = await asha.page.getByLabel('Invite link').inputValue();
      await asha.page.keyboard.press('Escape');

      // Ravi follows the link signed out: the code survives sign-up.
      ravi = await newMember(launched.browser, base, { name: 'ravi-room' });
      await ravi.page.goto(new URL(link).pathname);
      await waitForPath(ravi.page, '/sign-in');
      await ravi.page.getByRole('link', { name: 'Create an account' }).click();
      await waitForPath(ravi.page, '/sign-up');
      await ravi.page.getByLabel('Your name').fill('Ravi');
      await ravi.page.getByLabel('Email').fill(`ravi.${Date.now()}@example.com`);
      await ravi.page.getByLabel('Password').fill('correct horse battery staple');
      await ravi.page.getByRole('button', { name: 'Create account' }).click();
      await waitForPath(ravi.page, (p) => /^\/rooms\/[^/]+$/.test(p), 20_000);
      assert.equal(await ravi.page.evaluate(() => location.pathname), await asha.page.evaluate(() => location.pathname));

      // Presence: Asha sees two members online without reloading.
      await asha.page.getByRole('button', { name: /2 members, 2 online/ }).waitFor({ timeout: 15_000 });
      await screenshot(asha, 'room-joined');
      ready = true;
    });

    test('a chat message reaches the other member live, after a typing indicator', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      if (!(await needs(t, base, ['/api/v1/rooms/{room_id}/activities']))) return;
      const composer = asha.page.getByLabel('Message the room');
      await composer.pressSequentially('Which one for Diwali?', { delay: 20 });
      await ravi.page.getByText('Asha is typing…').waitFor({ timeout: 10_000 });
      await composer.press('Enter');
      await ravi.page.locator('.room-side').getByText('Which one for Diwali?').waitFor({ timeout: 10_000 });
      await screenshot(ravi, 'chat');
    });

    test('in secret mode a message is hidden from the member it is hidden from', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      if (!(await needs(t, base, ['/api/v1/rooms/{room_id}/secret-mode', '/api/v1/rooms/{room_id}/activities']))) return;
      await asha.page.getByRole('switch', { name: /Secret mode/ }).click();
      await asha.page.getByRole('checkbox', { name: /Ravi/ }).check();
      await asha.page.getByRole('button', { name: 'Turn on secret mode' }).click();
      await asha.page.getByText('Secret mode is on.').waitFor();
      await asha.page.getByLabel('Message the room').fill('Surprise gift for Ravi: the blue kurta');
      await asha.page.getByLabel('Message the room').press('Enter');
      await asha.page.locator('.room-side').getByText('Surprise gift for Ravi').waitFor();
      await asha.page.locator('.room-side').getByText(/hidden from Ravi/).first().waitFor();
      await screenshot(asha, 'secret-message');

      // A visible message after it proves Ravi's feed is live, not just slow.
      await asha.page.getByRole('button', { name: 'Turn off' }).click();
      await asha.page.getByText('Secret mode is on.').waitFor({ state: 'detached' });
      await asha.page.getByLabel('Message the room').fill('Dinner at 8');
      await asha.page.getByLabel('Message the room').press('Enter');
      await ravi.page.locator('.room-side').getByText('Dinner at 8').waitFor({ timeout: 10_000 });
      assert.equal(await ravi.page.getByText('Surprise gift for Ravi').count(), 0);
      await ravi.page.reload();
      await ravi.page.locator('.room-side').getByText('Dinner at 8').waitFor({ timeout: 10_000 });
      assert.equal(await ravi.page.getByText('Surprise gift for Ravi').count(), 0, 'not after a reload either');
    });

    test('after a dropped connection the feed resumes with no gap and no duplicate', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      await ravi.context.setOffline(true);
      await ravi.page.getByText('You are offline.').waitFor();
      for (const text of ['first while away', 'second while away', 'third while away']) {
        await asha.page.getByLabel('Message the room').fill(text);
        await asha.page.getByLabel('Message the room').press('Enter');
        await asha.page.locator('.room-side').getByText(text).waitFor();
      }
      await ravi.context.setOffline(false);
      const feed = ravi.page.locator('.room-side');
      await feed.getByText('third while away').waitFor({ timeout: 20_000 });
      for (const text of ['first while away', 'second while away', 'third while away']) {
        assert.equal(await feed.getByText(text).count(), 1, `${text} shows once`);
      }
      const order = await feed.locator('.bubble p').allInnerTexts();
      const i = order.indexOf('first while away');
      assert.deepEqual(order.slice(i, i + 3), ['first while away', 'second while away', 'third while away']);
      await screenshot(ravi, 'resumed');
    });

    test('an owner changes a member’s role and removes a member who joined by code', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      if (!(await needs(t, base, ['/api/v1/rooms/{room_id}/members/{user_id}']))) return;
      await asha.page.getByRole('button', { name: 'Invite' }).click();
      const code = await asha.page.locator('.invite-code').innerText();
      await asha.page.keyboard.press('Escape');

      const meera = await newMember(launched.browser, base, { name: 'meera-room', viewport: { width: 360, height: 740 } });
      await signUp(meera, { name: 'Meera' });
      await meera.page.getByLabel('Invite code or link').fill(code);
      await meera.page.getByRole('button', { name: 'Join room' }).click();
      await waitForPath(meera.page, (p) => /^\/rooms\/[^/]+$/.test(p));
      await screenshot(meera, 'joined-mobile');

      await asha.page.getByRole('button', { name: /3 members/ }).waitFor({ timeout: 15_000 });
      await asha.page.getByRole('button', { name: /3 members/ }).click();
      const panel = asha.page.getByRole('dialog', { name: /Members of/ });
      await panel.getByLabel('Role of Meera').selectOption('viewer');
      await asha.page.getByText('Meera is now viewer').waitFor();
      // A viewer reads but does not post.
      await meera.page.reload();
      await meera.page.getByRole('tab', { name: 'Activity' }).or(meera.page.getByRole('button', { name: 'Activity' })).click();
      await meera.page.getByText('Viewers can read the room but not post.').waitFor({ timeout: 10_000 });

      asha.page.once('dialog', (d) => void d.accept());
      await panel.locator('.member-row', { hasText: 'Meera' }).getByRole('button', { name: 'Remove' }).click();
      await asha.page.getByText('Meera was removed').waitFor();
      await screenshot(asha, 'members');
      await asha.page.keyboard.press('Escape');
      await meera.page.reload();
      await meera.page.getByText('This room is not open to you').waitFor({ timeout: 10_000 });
      await meera.context.close();
    });

    test('a like shows up in the other member’s feed live', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      if (!(await needs(t, base, SHOP_PATHS))) return;
      await ravi.page.locator('.product-card-hit').first().click();
      await ravi.page.getByRole('button', { name: /Like/ }).click();
      await asha.page.locator('.room-side').getByText(/Ravi\s+liked/).waitFor({ timeout: 15_000 });
      await ravi.page.keyboard.press('Escape');
      await screenshot(asha, 'feed-like');
    });

    test('a follower opens what the leader opens', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      if (!(await needs(t, base, SHOP_PATHS))) return;
      await ravi.page.getByLabel('Follow a member').selectOption({ label: 'Follow Asha' });
      await asha.page.locator('.product-card-hit').nth(1).click();
      const opened = new URL(asha.page.url()).searchParams.get('product');
      assert.ok(opened);
      await waitForUrl(ravi.page, (url) => url.searchParams.get('product') === opened);
      await ravi.page.getByRole('dialog').waitFor();
      await screenshot(ravi, 'following');
      await asha.page.keyboard.press('Escape');
      await ravi.page.keyboard.press('Escape');
      await ravi.page.getByLabel('Follow a member').selectOption({ label: 'Follow: nobody' });
    });

    test('secret mode hides a gift in the cart from the member it is for', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      if (!(await needs(t, base, [...SHOP_PATHS, '/api/v1/rooms/{room_id}/secret-mode', '/api/v1/rooms/{room_id}/cart', '/api/v1/rooms/{room_id}/cart/lines']))) return;
      await asha.page.getByRole('switch', { name: /Secret mode/ }).click();
      await asha.page.getByRole('checkbox', { name: /Ravi/ }).check();
      await asha.page.getByRole('button', { name: 'Turn on secret mode' }).click();
      await asha.page.getByText('Secret mode is on.').waitFor();

      await asha.page.locator('.product-card-hit').nth(2).click();
      const dialog = asha.page.getByRole('dialog');
      const title = await dialog.locator('.product-detail-title').innerText();
      const sizes = dialog.locator('.size-pill:not(.out) input');
      if ((await sizes.count()) > 0) await sizes.first().check();
      await dialog.getByRole('button', { name: 'Add to cart' }).click();
      await asha.page.getByText('Added to the family cart').waitFor();
      await asha.page.keyboard.press('Escape');

      await asha.page.getByRole('button', { name: /Family cart/ }).click();
      await asha.page.getByRole('dialog', { name: 'Family cart' }).getByText(title).waitFor();
      await screenshot(asha, 'secret-cart');
      await asha.page.keyboard.press('Escape');

      await ravi.page.reload();
      await ravi.page.getByRole('button', { name: /Family cart/ }).click();
      const cart = ravi.page.getByRole('dialog', { name: 'Family cart' });
      await cart.locator('.empty-state, .cart-lines').first().waitFor();
      assert.equal(await cart.getByText(title).count(), 0, 'the gift must not show in the cart of the member it is hidden from');
      assert.equal(await ravi.page.locator('.room-side').getByText(/Asha\s+added to the cart/).count(), 0);
      await screenshot(ravi, 'secret-cart-hidden');
    });

    test('the room page has no serious accessibility violations, with products and with the cart open', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      if (!(await needs(t, base, SHOP_PATHS))) return;
      await ravi.page.keyboard.press('Escape');
      await ravi.page.locator('.product-card-hit').first().waitFor({ timeout: 15_000 });
      assert.deepEqual(await seriousViolations(ravi.page), [], 'axe: room page');
      await ravi.page.locator('.product-card-hit').first().click();
      await ravi.page.getByRole('dialog').locator('.product-detail-title').waitFor();
      assert.deepEqual(await seriousViolations(ravi.page), [], 'axe: product modal');
      await ravi.page.keyboard.press('Escape');
      await ravi.page.getByRole('button', { name: /Family cart/ }).click();
      await ravi.page.getByRole('dialog', { name: 'Family cart' }).locator('.empty-state, .cart-lines').first().waitFor();
      assert.deepEqual(await seriousViolations(ravi.page), [], 'axe: cart drawer');
      await ravi.page.keyboard.press('Escape');
    });

    test('on a phone, the room shows products and a wishlist item moves to the cart', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      if (!(await needs(t, base, [...SHOP_PATHS, '/api/v1/rooms/{room_id}/wishlist', '/api/v1/rooms/{room_id}/wishlist/{item_id}/move-to-cart']))) return;
      // Journey (f): a 390×844 phone.
      const phone = ravi;
      await phone.page.setViewportSize({ width: 390, height: 844 });
      await phone.page.reload();
      const card = phone.page.locator('.product-card-hit');
      await card.nth(3).waitFor({ timeout: 15_000 });
      await phone.page.locator('.product-card img').first().waitFor();
      await screenshot(phone, 'room-phone');
      assert.deepEqual(await seriousViolations(phone.page), [], 'axe: room page on a phone');

      // Wish for a product with sizes, then move it to the cart from the wishlist.
      await card.nth(4).click();
      const dialog = phone.page.getByRole('dialog');
      const title = await dialog.locator('.product-detail-title').innerText();
      await dialog.getByRole('button', { name: /Wishlist/ }).click();
      await phone.page.getByText('Added to the wishlist').waitFor();
      await phone.page.keyboard.press('Escape');
      await phone.page.getByRole('button', { name: 'Wishlist & votes' }).click();
      await phone.page.getByRole('button', { name: `Move ${title} to the cart` }).click();
      const size = phone.page.getByLabel('Size', { exact: true });
      await size.waitFor();
      const sizes = await size.locator('option:not([disabled])').evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
      if (sizes.length) await size.selectOption(sizes[0]);
      await phone.page.getByRole('button', { name: 'Move', exact: true }).click();
      await phone.page.getByText('Moved to the family cart').waitFor();
      await screenshot(phone, 'wishlist-moved');
      await phone.page.getByRole('button', { name: /Family cart/ }).click();
      await phone.page.getByRole('dialog', { name: 'Family cart' }).getByText(title).waitFor();
      await screenshot(phone, 'cart-phone');
      // The other member's cart follows live.
      await asha.page.getByRole('button', { name: /Family cart/ }).click();
      await asha.page.getByRole('dialog', { name: 'Family cart' }).getByText(title).waitFor({ timeout: 10_000 });
      await asha.page.keyboard.press('Escape');
      await phone.page.keyboard.press('Escape');
      await phone.page.setViewportSize({ width: 1280, height: 800 });
    });

    test('the trip planner makes a packing list, shared live, and adds an item to the cart', async (t) => {
      if (!ready) return t.skip('needs the room from the previous step');
      const TRIP_PATHS = ['/api/v1/rooms/{room_id}/trips', '/api/v1/rooms/{room_id}/trips/{trip_id}', '/api/v1/rooms/{room_id}/cart/lines'];
      if (!(await needs(t, base, [...SHOP_PATHS, ...TRIP_PATHS]))) return;
      // Journey (d). Asha watches the Trips tab while Ravi plans.
      await asha.page.getByRole('navigation', { name: 'Room sections' }).getByRole('button', { name: 'Trips' }).click();
      await asha.page.getByRole('form', { name: 'Plan a trip' }).waitFor();
      const { page } = ravi;
      await page.reload();
      await page.getByRole('navigation', { name: 'Room sections' }).getByRole('button', { name: 'Trips' }).click();
      const form = page.getByRole('form', { name: 'Plan a trip' });
      await form.getByLabel('Destination').fill('Goa');
      await form.getByLabel('From', { exact: true }).fill('2026-12-20');
      await form.getByLabel('To', { exact: true }).fill('2026-12-24');
      await form.getByText('5 days').waitFor();
      await form.getByLabel('Kind of trip').selectOption('beach');
      await form.getByLabel('Occasion').selectOption('beach');
      const me = form.getByRole('button', { name: 'Me', exact: true });
      if ((await me.getAttribute('aria-pressed')) !== 'true') await me.click();
      await form.getByRole('button', { name: 'Asha', exact: true }).click();
      await form.getByRole('button', { name: '+ Add someone by hand' }).click();
      await form.getByLabel('Traveller 1 name').fill('Tara');
      await form.getByLabel('Age', { exact: true }).fill('8');
      await form.getByLabel('Clothes for').selectOption('girls');
      await screenshot(ravi, 'trip-form');
      await form.getByRole('button', { name: 'Make packing lists' }).click();

      const list = page.getByRole('region', { name: 'Packing list for Goa' });
      await list.waitFor({ timeout: 20_000 });
      for (const who of ['Ravi', 'Asha', 'Tara', 'Shared by the family']) await list.getByRole('heading', { name: who, exact: true }).waitFor();
      assert.ok((await list.locator('.packing-reason').count()) > 3, 'lines come with reasons');
      // Shared live: Asha's tab shows the plan without a reload.
      await asha.page.getByRole('region', { name: 'Packing list for Goa' }).waitFor({ timeout: 15_000 });
      await asha.page.locator('.room-side').getByText(/Ravi\s+planned a trip\s+to Goa/).waitFor({ timeout: 15_000 });

      // Check a line off; Asha sees it ticked.
      const first = list.locator('.packing-item').first();
      const lineId = await first.getAttribute('data-line');
      // Clicked, then awaited: the tick shows once the edit is in the cache, not within the click itself.
      await first.locator('.packing-check input').click();
      await first.locator('.packing-check input:checked').waitFor();
      await asha.page.locator(`.packing-item[data-line="${lineId}"] .packing-check input:checked`).waitFor({ timeout: 15_000 });
      await screenshot(ravi, 'packing-list');
      await screenshot(asha, 'packing-list-live');

      // Add a suggested product to the cart: straight away when it has one size in stock, else through its sizes.
      const add = list.getByRole('button', { name: /^Add .+ to the cart$/ }).first();
      const title = (await add.getAttribute('aria-label')).replace(/^Add (.+) to the cart$/, '$1');
      await add.click();
      const added = page.getByText('Added to the family cart');
      const chooseSize = page.getByText('Choose a size, then add it to the cart');
      await added.or(chooseSize).first().waitFor({ timeout: 15_000 });
      if (await chooseSize.isVisible()) {
        const dialog = page.getByRole('dialog');
        await dialog.locator('.size-pill:not(.out) input').first().check();
        await dialog.getByRole('button', { name: 'Add to cart' }).click();
        await added.waitFor();
        await page.keyboard.press('Escape');
      }
      await page.getByRole('button', { name: /Family cart/ }).click();
      await page.getByRole('dialog', { name: 'Family cart' }).getByText(title).first().waitFor();
      await screenshot(ravi, 'trip-cart');
      await page.keyboard.press('Escape');
    });
  });
});
