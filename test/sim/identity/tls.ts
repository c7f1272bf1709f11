import { generate } from 'selfsigned';

export interface TestCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate; also what a client trusts (it is its own CA). */
  cert: string;
}

let shared: Promise<TestCertificate> | undefined;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per test process. Clients
 * trust it explicitly (MSAL's injected network client, fetch via an undici-free https agent),
 * never through a process-wide variable.
 */
export function testCertificate(): Promise<TestCertificate> {
  shared ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return shared;
}
