// The blackbox exporter's config: one module per kind of synthetic check (ProbeModule). Which
// targets each probes is Prometheus's side (cli/render/probes.ts). Module keys as read at the pin
// (prometheus/blackbox_exporter@v0.28.0:config/config.go; the same keys in v0.23.0, Debian 12's).
import type { StackSpec } from '../spec/types.js';
import type { ProbeModule } from '../../profiles/types.js';
import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { RenderedFile } from './types.js';
import type { RunPaths } from './addressing.js';

/**
 * nodeos's get_info answers 200 with `"head_block_num":N`, N 0 until a block is applied
 * (AntelopeIO/spring@v1.2.2:plugins/chain_plugin/include/eosio/chain_plugin/get_info_db.hpp,
 * get_info_results and its FC_REFLECT; fc writes JSON without spaces). Any method reaches it
 * (beast_http_session.hpp looks handlers up by path alone), so the probe's GET does.
 */
export const NODEOS_HEAD_BLOCK = '"head_block_num": ?[1-9]';

// Shorter than Prometheus's scrape timeout (10 s), which the exporter caps a probe at.
const TIMEOUT = '5s';
// IPv4 first, as most of what we probe listens on 127.0.0.1; the fallback (on by default) tries IPv6.
const ip4 = { preferred_ip_protocol: 'ip4' };

const MODULES: Record<ProbeModule, unknown> = {
  http_2xx: { prober: 'http', timeout: TIMEOUT, http: ip4 },
  nodeos_head_block: { prober: 'http', timeout: TIMEOUT, http: { ...ip4, valid_status_codes: [200], fail_if_body_not_matches_regexp: [NODEOS_HEAD_BLOCK] } },
  tcp_connect: { prober: 'tcp', timeout: TIMEOUT, tcp: ip4 },
};

export function renderBlackbox(): RenderedFile[] {
  return [{ path: 'blackbox/blackbox.yml', content: dumpYaml({ modules: MODULES }, generatedFromSpec('#')) }];
}

export function blackboxArgs(_spec: StackSpec, at: RunPaths): string[] {
  return [`--config.file=${at.config}`, `--web.listen-address=${at.listen}`];
}
