/**
 * Throw-away TLS certificates for tests, made with the `openssl` command in a temporary
 * directory (node:crypto cannot make X.509 certificates). Nothing is committed and every key
 * lives only for the test process. One test CA signs the leaves a client can be told to trust;
 * the self-signed leaf is trusted by nobody.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key and certificate, PEM. */
export interface KeyAndCertificate {
  readonly key: string;
  readonly cert: string;
}

/** The certificates a TLS test needs, all for 127.0.0.1 unless named otherwise. */
export interface TestCertificates {
  /** The test CA's certificate: pass it as `ca` to a client that should trust the signed leaves. */
  readonly ca: string;
  /** Signed by the CA, valid now, for IP 127.0.0.1. */
  readonly valid: KeyAndCertificate;
  /** Signed by the CA, for 127.0.0.1, but its validity ended a day before it began. */
  readonly expired: KeyAndCertificate;
  /** Signed by the CA, valid, but for `portal.example.com` only. */
  readonly wrongHost: KeyAndCertificate;
  /** Self-signed, valid, for 127.0.0.1. */
  readonly selfSigned: KeyAndCertificate;
}

function openssl(dir: string, args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim() ?? '';
    throw new Error(`openssl ${args[0]} failed (is openssl installed?): ${stderr.slice(0, 300)}`, { cause: error });
  }
}

/**
 * Makes a CA and four leaves with `openssl` (about a second). Call it once, in `beforeAll`.
 *
 * @example
 * const certificates = makeTestCertificates();
 * const docspace = await startSimulatedPortals(portals, { tls: certificates.expired });
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'docspace-test-tls-'));
  try {
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl(dir, ['req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=docspace-monitor test CA']);
    const leaf = (name: string, host: string, days: string): KeyAndCertificate => {
      writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${host}\n`);
      openssl(dir, ['req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
      openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', days, '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
      return { key: read(`${name}.key`), cert: read(`${name}.crt`) };
    };
    const valid = leaf('valid', 'IP:127.0.0.1', '2');
    // A negative validity: notAfter a day before notBefore (now), so the certificate has expired.
    const expired = leaf('expired', 'IP:127.0.0.1', '-1');
    const wrongHost = leaf('wrong-host', 'DNS:portal.example.com', '2');
    writeFileSync(join(dir, 'self.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(dir, ['req', '-x509', ...newKey, '-keyout', 'self.key', '-out', 'self.crt', '-days', '2', '-subj', '/CN=self-signed', '-addext', 'subjectAltName=IP:127.0.0.1']);
    return { ca: read('ca.crt'), valid, expired, wrongHost, selfSigned: { key: read('self.key'), cert: read('self.crt') } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
