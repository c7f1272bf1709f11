/** First start: what to prepare in Azure and in S3 before filling in the form. */
import { h } from './dom.js';

export function guide(): HTMLElement {
  return h(
    'section',
    { class: 'card guide', 'aria-label': 'Getting started' },
    h('h3', {}, 'Welcome — three things to prepare'),
    h(
      'ol',
      {},
      h(
        'li',
        {},
        h('b', {}, 'An app registration in Azure '),
        '(portal.azure.com → App registrations → New registration, account type “Personal Microsoft accounts only”). Pick one sign-in flow:',
        h(
          'ul',
          {},
          h(
            'li',
            {},
            h('b', {}, 'Desktop (simplest): '),
            'under Authentication add the platform “Mobile and desktop applications” with the redirect URI ',
            h('code', {}, 'http://localhost'),
            '. No secret and no certificate are needed; you sign in with your browser.',
          ),
          h(
            'li',
            {},
            h('b', {}, 'Web (the original tool’s way): '),
            'add the platform “Web” with the redirect URI ',
            h('code', {}, 'https://your-host:port/code'),
            ', create a client secret under Certificates & secrets, and have a TLS key and certificate for that host. cloud-sync then runs a small HTTPS listener.',
          ),
        ),
        'API permissions: Microsoft Graph, delegated ',
        h('code', {}, 'Files.Read'),
        ' and ',
        h('code', {}, 'offline_access'),
        '. Copy the Application (client) ID below.',
      ),
      h(
        'li',
        {},
        h('b', {}, 'An S3 bucket '),
        'and an access key allowed to list, read, write and delete in it (the README has a minimal policy). Existing backups made by cloud_sync are adopted, not uploaded again.',
      ),
      h('li', {}, h('b', {}, 'Save, then Authorize OneDrive… '), 'from the window or the tray.'),
    ),
    h(
      'p',
      { class: 'muted' },
      'Secrets you enter are encrypted with your system keyring; config.toml never holds them.',
    ),
  );
}
