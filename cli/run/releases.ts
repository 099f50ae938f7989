// The release archives native mode downloads when a binary is neither on PATH nor in the cache
// (ABI.md section 6). Where each comes from is in the table (cli/services/table.ts); versions are
// those of the images the stack's spec pins (the table's by default), so docker and native mode
// run the same versions and there is one place to bump them.
import { CORE_SERVICES, DEFAULT_IMAGES, type CoreService, type ReleaseDef } from '../services/table.js';

/** Where an archive and its expected SHA-256 come from. */
export type ReleaseSource =
  /** A fixed archive URL, checked against a checksum file of the same release (`sha256sum` format). */
  | { kind: 'checksum-file'; archiveUrl: string; checksumUrl: string }
  /** grafana.com's downloads API, which answers with the archive URL and its sha256. */
  | { kind: 'downloads-api'; apiUrl: string };

export interface Release {
  service: CoreService;
  version: string;
  source: ReleaseSource;
  /** Names of the executable inside the archive (some archives name it after the platform). */
  binaryNames: string[];
  /** The archive's SHA-256 as recorded here when we pinned it: the release's checksum file must agree. */
  pinnedSha256?: string;
}

/**
 * SHA-256 of release archives recorded when they were pinned, by file name: a release whose
 * checksum file later says otherwise (a re-published archive) is refused rather than trusted.
 * node_exporter 1.12.1 linux-amd64: the digest its release's sha256sums.txt lists, as recorded
 * independently by several public deployment repositories (no arm64 digest could be read here:
 * arm64 relies on the checksum file alone, like every other release).
 */
const PINNED_SHA256: Readonly<Record<string, string>> = {
  'node_exporter-1.12.1.linux-amd64.tar.gz': 'b51d8a76aa2a9156a55d501aca6276fae09e262259a5e4e831d2c2222f084e63',
};

export type ReleaseArch = 'amd64' | 'arm64';

export function releaseArch(nodeArch: string = process.arch): ReleaseArch | undefined {
  return nodeArch === 'x64' ? 'amd64' : nodeArch === 'arm64' ? 'arm64' : undefined;
}

/** `prom/prometheus:v3.14.0` → `3.14.0` (a digest after the tag is ignored); undefined for an image pinned by digest alone. */
export function versionOfImage(image: string): string | undefined {
  const name = image.split('@')[0];
  const afterSlash = name.slice(name.lastIndexOf('/') + 1);
  const colon = afterSlash.lastIndexOf(':');
  return colon === -1 ? undefined : afterSlash.slice(colon + 1).replace(/^v/, '');
}

const GITHUB = 'https://github.com';

/** The git tag a release is published under: `v<version>`, Mimir's `mimir-<version>`. */
export function releaseTag(release: ReleaseDef, version: string): string {
  return release.kind === 'github-binary' ? `${release.name}-${version}` : `v${version}`;
}

/** The release of a core service for this platform, at the version of `image` (the stack's pinned image). */
export function releaseFor(service: CoreService, arch: ReleaseArch, image: string = DEFAULT_IMAGES[service]): Release {
  const version = versionOfImage(image);
  if (version === undefined) throw new Error(`${image} names no version; releaseFor needs a tagged image`);
  const release = CORE_SERVICES[service].release;
  switch (release.kind) {
    case 'prometheus-tarball': {
      const base = `${GITHUB}/${release.repo}/releases/download/${releaseTag(release, version)}`;
      const archive = `${release.name}-${version}.linux-${arch}.tar.gz`;
      const pinned = PINNED_SHA256[archive];
      return {
        service,
        version,
        source: { kind: 'checksum-file', archiveUrl: `${base}/${archive}`, checksumUrl: `${base}/sha256sums.txt` },
        binaryNames: [release.name],
        ...(pinned ? { pinnedSha256: pinned } : {}),
      };
    }
    case 'victoriametrics-tarball': {
      // VictoriaMetrics/VictoriaMetrics@v1.150.0:Makefile release-victoria-metrics-goos-goarch and
      // release-vmutils-goos-goarch: <name>-linux-<arch>-v<version>.tar.gz, its sha256sum in
      // <same>_checksums.txt, binaries inside named <app>-prod.
      const base = `${GITHUB}/${release.repo}/releases/download/${releaseTag(release, version)}`;
      const file = `${release.name}-linux-${arch}-v${version}`;
      return { service, version, source: { kind: 'checksum-file', archiveUrl: `${base}/${file}.tar.gz`, checksumUrl: `${base}/${file}_checksums.txt` }, binaryNames: [release.binary] };
    }
    case 'github-binary': {
      // A bare executable beside a file holding its SHA-256 (Mimir's mimir-linux-<arch>-sha-256).
      const base = `${GITHUB}/${release.repo}/releases/download/${releaseTag(release, version)}`;
      const file = `${release.name}-linux-${arch}`;
      return { service, version, source: { kind: 'checksum-file', archiveUrl: `${base}/${file}`, checksumUrl: `${base}/${file}-sha-256` }, binaryNames: [file, release.name] };
    }
    case 'grafana-labs-zip': {
      const base = `${GITHUB}/${release.repo}/releases/download/${releaseTag(release, version)}`;
      const archiveUrl = `${base}/${release.name}-linux-${arch}.zip`;
      return { service, version, source: { kind: 'checksum-file', archiveUrl, checksumUrl: `${base}/SHA256SUMS` }, binaryNames: [`${release.name}-linux-${arch}`, release.name] };
    }
    case 'grafana-downloads-api':
      return {
        service,
        version,
        source: { kind: 'downloads-api', apiUrl: `https://grafana.com/api/downloads/grafana/versions/${version}/packages/${arch}/linux` },
        binaryNames: [...release.binaryNames],
      };
    case 'none':
      throw new Error(`${service} runs only in docker mode; it has no release to download`);
  }
}
