import 'reflect-metadata'; // @peculiar/x509 needs it, loaded before it
import { createHash, webcrypto, type webcrypto as WebCrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const YEAR_MS = 365 * 86_400_000;

export interface SiteTls {
  caPem: string;
  /** The server's certificate followed by the CA's, as the TLS server presents them. */
  certChainPem: string;
  keyPem: string;
  /** SHA-256 of the CA certificate, as terminals pin it and people compare it. */
  caFingerprint: string;
  created: boolean;
}

/** SHA-256 of a certificate's DER bytes, as 32 upper-case hex pairs joined by colons (what browsers and openssl show). */
export function certificateFingerprint(pem: string): string {
  const der = Buffer.from(new x509.X509Certificate(pem).rawData);
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

const writePrivate = (file: string, text: string) => {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
};

const serial = () => Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');

/** The names and addresses the server may be reached by, for its certificate (terminals pin the CA, not these). */
function serverNames(): x509.JsonGeneralName[] {
  const names: x509.JsonGeneralName[] = [{ type: 'dns', value: 'localhost' }, { type: 'dns', value: hostname() }, { type: 'ip', value: '127.0.0.1' }];
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) if (!address.internal && address.family === 'IPv4') names.push({ type: 'ip', value: address.address });
  }
  return names;
}

/**
 * The site's certificate authority and the server's certificate, in `<dataDir>/tls/`. Created at
 * the first start and kept: a new CA would make every enrolled terminal refuse the server (that is
 * the point of pinning). The CA's private key stays in the data folder, readable by its owner only.
 */
export async function loadOrCreateSiteTls(dataDir: string): Promise<SiteTls> {
  const dir = join(dataDir, 'tls');
  const files = { caCert: join(dir, 'site-ca.pem'), caKey: join(dir, 'site-ca.key'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
  if (Object.values(files).every((f) => existsSync(f))) {
    const caPem = readFileSync(files.caCert, 'utf8');
    return { caPem, certChainPem: `${readFileSync(files.cert, 'utf8').trimEnd()}\n${caPem}`, keyPem: readFileSync(files.key, 'utf8'), caFingerprint: certificateFingerprint(caPem), created: false };
  }
  if (existsSync(files.caCert)) {
    throw new Error(`The site's TLS files in ${dir} are incomplete (site-ca.pem is there, a key or the server certificate is missing). Restore them from a backup: a new certificate authority would make every enrolled terminal refuse this server.`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const caKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as WebCrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Aviation Workflow site CA (${hostname()}), O=Aviation Workflow`,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 30 * YEAR_MS),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as WebCrypto.CryptoKeyPair;
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hostname()}, O=Aviation Workflow site server`,
    issuer: ca.subject,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 20 * YEAR_MS),
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(serverNames()),
    ],
  });
  const pemKey = async (key: WebCrypto.CryptoKey) => x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
  const caPem = ca.toString('pem');
  const keyPem = await pemKey(serverKeys.privateKey);
  writePrivate(files.caKey, await pemKey(caKeys.privateKey));
  writePrivate(files.key, keyPem);
  writeFileSync(files.cert, server.toString('pem'));
  writeFileSync(files.caCert, caPem); // last: its presence says the set is complete
  return { caPem, certChainPem: `${server.toString('pem').trimEnd()}\n${caPem}`, keyPem, caFingerprint: certificateFingerprint(caPem), created: true };
}
