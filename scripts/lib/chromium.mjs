// How every browser run here starts Debian's Chromium (e2e and bench alike): Playwright cannot download
// its own browsers on this machine, and the flags keep Chromium from phoning home during measurements.
export const CHROMIUM_LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
