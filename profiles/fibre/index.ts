import { bitcoindProfile } from '../bitcoind/profile.js';
import { fibreMetrics } from './metrics.js';

export const fibreProfile = bitcoindProfile('fibre', 'FIBRE relay (bitcoind with udp:* tracepoints)', fibreMetrics);
