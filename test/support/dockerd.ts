// Whether the local docker engine answers, for prerequisites() checks.
import Docker from 'dockerode';

export async function dockerAvailable(): Promise<boolean> {
  try {
    await new Docker().ping();
    return true;
  } catch {
    return false;
  }
}
