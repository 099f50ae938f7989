import type { ProfileId, ProfileSettings, StackSpec } from './types.js';
import { PROFILES } from '../../profiles/registry.js';
import { DEFAULT_IMAGES, DEFAULT_PORTS } from '../services/table.js';
import { SPEC_VERSION } from './versions.js';

/** What a new stack watches unless told otherwise. */
export const DEFAULT_PROFILES: readonly ProfileId[] = ['fibre'];

/** One node's settings of `<id>: [{}]`. */
export function defaultProfile<Id extends ProfileId>(id: Id): ProfileSettings<Id> {
  return PROFILES.get(id)!.spec.defaults();
}

export function defaultSpec(): StackSpec {
  return {
    version: SPEC_VERSION,
    project: 'fibre-stack',
    mode: 'docker',
    log_agent: 'alloy',
    bind_address: '127.0.0.1',
    retention: { metrics: '15d', logs: '168h' },
    ports: { ...DEFAULT_PORTS },
    images: { ...DEFAULT_IMAGES },
    alerting: { receivers: [], grafana_url: '' },
    disabled_services: [],
    synthetic_checks: false,
    profiles: Object.fromEntries(DEFAULT_PROFILES.map((id) => [id, [defaultProfile(id)]])),
  };
}
