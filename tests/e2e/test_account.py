"""The sign-in and sign-up pages and the account menu: change password, sign out (here and
everywhere), and pending edits that survive signing out."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e import flows
from tests.e2e.test_boot import wait_for_boot
from tests.e2e.test_workbench_sync import server_files
from tests.support.live_server import LiveServer

NEW_PASSWORD = "a much better passphrase"


def open_menu(page: Page) -> None:
    page.click("#account-button")
    expect(page.get_by_role("menu", name="Account")).to_be_visible()


def sign_in_with(page: Page, email: str, password: str) -> None:
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("#signin")


def session_status(context: BrowserContext, base: str) -> int:
    return context.request.get(f"{base}/api/auth/session").status


def test_sign_up_page_checks_and_links_to_sign_in(
    page: Page, live_server: LiveServer, artifacts
) -> None:
    base = live_server.url
    page.goto(base + "/signup")
    assert wait_for_boot(page) == "ready"
    expect(page.locator("#auth-title")).to_have_text("Create your CosPAI IDE account")
    expect(page.locator("#account-slot")).to_be_empty()
    page.fill("input[name=email]", "someone@example.com")
    page.fill("input[name=password]", "short")
    page.click("#signup")
    expect(page.locator("#auth-error")).to_have_text("Choose a password of 8 characters or more.")
    page.fill("input[name=password]", flows.PASSWORD)
    page.fill("input[name=confirm]", flows.PASSWORD + "!")
    page.click("#signup")
    expect(page.locator("#auth-error")).to_have_text(
        "The two passwords differ: type the same one twice."
    )
    expect(page.locator("input[name=confirm]")).to_be_focused()
    page.screenshot(path=artifacts / "auth-signup.png")
    # The link switches pages in place (no second boot), and back.
    page.click("#auth-switch")
    expect(page).to_have_url(base + "/signin")
    expect(page.locator("#signin")).to_be_visible()
    expect(page.locator("input[name=confirm]")).to_have_count(0)
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=artifacts / "auth-signin-dark.png")
    page.click("#auth-switch")
    expect(page).to_have_url(base + "/signup")
    assert page.evaluate("performance.getEntriesByName('cospai:ready').length") == 1
    page.go_back()
    expect(page.locator("#signin")).to_be_visible()


def test_change_password_then_sign_in_with_the_new_one(
    page: Page, live_server: LiveServer, artifacts
) -> None:
    base = live_server.url
    email = flows.sign_up(page, base)
    button = page.locator("#account-button")
    expect(button).to_contain_text(email)
    expect(button).to_have_attribute("aria-expanded", "false")

    # Keyboard: Enter opens with the first item focused, arrows move, Escape closes and
    # gives the focus back to the button.
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#account-password")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#account-signout")).to_be_focused()
    page.keyboard.press("End")
    expect(page.locator("#account-signout-everywhere")).to_be_focused()
    page.keyboard.press("ArrowDown")  # wraps
    expect(page.locator("#account-password")).to_be_focused()
    page.screenshot(path=artifacts / "account-menu.png")
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu")).to_have_count(0)
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    open_menu(page)
    page.click("#account-password")
    dialog = page.locator("#password-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("input[name=current_password]")).to_be_focused()
    error = page.locator("#password-error")
    page.click("#password-submit")
    expect(error).to_have_text("Enter your current password.")
    page.fill("input[name=current_password]", flows.PASSWORD)
    page.fill("input[name=new_password]", "short")
    page.click("#password-submit")
    expect(error).to_have_text("Choose a new password of 8 characters or more.")
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=confirm_password]", NEW_PASSWORD + "x")
    page.click("#password-submit")
    expect(error).to_have_text("The two new passwords differ: type the same one twice.")
    # The server's refusal, at the field it names.
    page.fill("input[name=current_password]", "not my password")
    page.fill("input[name=confirm_password]", NEW_PASSWORD)
    page.click("#password-submit")
    expect(error).to_have_text("The current password is wrong.")
    expect(page.locator("input[name=current_password]")).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=artifacts / "account-password-refused.png")
    page.fill("input[name=current_password]", flows.PASSWORD)
    page.press("input[name=confirm_password]", "Enter")
    expect(page.locator("#password-done")).to_contain_text("Your password is changed.")
    expect(page.locator("#password-close")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(button).to_be_focused()

    open_menu(page)
    page.click("#account-signout")
    expect(page).to_have_url(base + "/signin")
    sign_in_with(page, email, flows.PASSWORD)
    expect(page.locator("#auth-error")).to_have_text("Wrong email or password.")
    sign_in_with(page, email, NEW_PASSWORD)
    page.wait_for_selector("#dashboard")
    expect(page.locator("#account-button")).to_contain_text(email)


def test_sign_out_ends_the_session_here_and_everywhere(
    page: Page, context: BrowserContext, browser: Browser, live_server: LiveServer
) -> None:
    base = live_server.url
    email = flows.sign_up(page, base)

    # Offline, the server cannot be told: nothing changes, and the reason is shown.
    context.set_offline(True)
    open_menu(page)
    page.click("#account-signout")
    expect(page.locator("#account-error")).to_have_text(
        "Offline: cannot sign out until the server is reachable."
    )
    expect(page.locator("#dashboard")).to_be_visible()
    context.set_offline(False)

    open_menu(page)
    page.click("#account-signout")
    expect(page).to_have_url(base + "/signin")
    expect(page.locator("#auth-form")).to_be_visible()
    expect(page.locator("#account-slot")).to_be_empty()
    assert session_status(context, base) == 401
    page.reload()
    assert wait_for_boot(page) == "ready"
    expect(page.locator("#signin")).to_be_visible()
    expect(page.locator("#account-slot")).to_be_empty()

    # Everywhere: another browser signed in as the same person is signed out too.
    flows.sign_in(page, base, email)
    other_context = browser.new_context()
    try:
        other = other_context.new_page()
        flows.sign_in(other, base, email)
        assert session_status(other_context, base) == 200
        open_menu(page)
        page.click("#account-signout-everywhere")
        expect(page).to_have_url(base + "/signin")
        assert session_status(context, base) == 401
        assert session_status(other_context, base) == 401
    finally:
        other_context.close()


def test_pending_edits_survive_signing_out(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    base = live_server.url
    email = flows.sign_up(page, base)
    project = flows.create_project(page, "kept", template="static-site")
    flows.open_file(page, "script.js")
    # Sync requests fail as if the network dropped them, while signing out still works:
    # the edit can only be in the browser when the session ends.
    page.route("**/api/projects/*/sync", lambda route: route.abort())
    flows.type_at_start(page, "// typed just before signing out\n")
    open_menu(page)
    page.click("#account-signout")
    expect(page).to_have_url(base + "/signin")
    page.unroute("**/api/projects/*/sync")
    flows.sign_in(page, base, email)
    assert not server_files(context, base, project)["script.js"].startswith("// typed")

    flows.open_project(page, base, project)
    page.wait_for_function("document.documentElement.dataset.syncState === 'saved'", timeout=30_000)
    stored = server_files(context, base, project)["script.js"]
    assert stored.startswith("// typed just before signing out\n")
