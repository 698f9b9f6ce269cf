"""Real-browser tests: the built site in headless Chromium (Playwright), with axe for accessibility."""
