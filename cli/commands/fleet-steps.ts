// What to do next with a fleet stack that `create` wrote: the files to carry between hub and nodes.
import type { StackSpec } from '../spec/types.js';
import { FLEET_TLS, nodeTokenFile } from '../render/fleet-hub.js';

export function fleetNextSteps(spec: StackSpec): string[] {
  const f = spec.fleet;
  if (!f) return [];
  if (f.role === 'hub') {
    if (!f.nodes.length) return ['\nNo nodes yet: list them in fleet.nodes of fibre-stack.yml and run `fibre-stack generate`; each gets a token.'];
    return [
      '\nFor each node, copy its token (and the CA) to the node, then create it there:',
      ...f.nodes.map((n) => `  ${nodeTokenFile(n)} -> <node stack>/fleet/hub.token   (keep it mode 0600)`),
      ...(f.tls.mode === 'generate' ? [`  ${FLEET_TLS.ca} -> <node stack>/fleet/ca.crt`] : []),
      `  fibre-stack create <node stack> --role node --hub ${f.tls.mode === 'off' ? 'http' : 'https'}://<this hub>:${spec.ports.vmauth} --host <node>`,
    ];
  }
  return [
    `\nBefore \`up\`: put the token the hub made for ${f.host} (its fleet/nodes/${f.host}.token) at ${f.token_file}, mode 0600` +
      (f.ca_file ? `, and the hub's CA (its ${FLEET_TLS.ca}) at ${f.ca_file}.` : '.'),
  ];
}
