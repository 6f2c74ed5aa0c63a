import { LabError } from '../../../lab-errors.ts';
import {
  type ImageFamily,
  imageVariable,
  NO_OFFLINE_IMAGE,
  offlineImageVariable,
  PROFILES,
} from '../../../render/compose/compose-types.ts';
import { requireValue } from '../../../render/compose/pins.ts';
import { execCommand } from './compose-binary.ts';

/** Which images a run uses, and why (told to the user). */
export interface ImageChoice {
  offline: boolean;
  reason: string;
}

/** Probes of the Docker engine, injected so the rule is testable. */
export interface ImageProbes {
  /** The image is in the local store. */
  present(image: string): Promise<boolean>;
  /** A registry answers for this (pullable) image. */
  registryAnswers(image: string): Promise<boolean>;
}

/** What chooseImages decides from. */
export interface ImageChoiceInput {
  /** CACHELAB_OFFLINE (lab/lab-config.ts): true/false forces; undefined decides. */
  forced: boolean | undefined;
  /** Official images the run needs (from the pins). */
  official: string[];
  /** Their offline equivalents. */
  offline: string[];
  probes: ImageProbes;
}

/** Image families compose v1 needs for these profiles (it wants images of scale-0 services too). */
export function familiesFor(profiles: readonly string[]): ImageFamily[] {
  const families: ImageFamily[] = ['nginx', 'postgres', 'app', 'redis'];
  if (profiles.includes(PROFILES.observability)) {
    families.push('prometheus', 'redis-exporter', 'postgres-exporter', 'nginx-exporter', 'grafana');
  }
  if (profiles.includes(PROFILES.k6)) families.push('k6');
  return families;
}

/** The official and offline image names of `families`, from the pins. */
export function imagesOf(families: readonly ImageFamily[], pins: Map<string, string>) {
  const official = families.map((f) => requireValue(pins, imageVariable(f), 'compose/.env'));
  const offline = families
    .filter((f) => !NO_OFFLINE_IMAGE.includes(f))
    .map((f) => requireValue(pins, offlineImageVariable(f), 'compose/.env'));
  return { official, offline };
}

// Images the lab builds itself (cachelab/app): no registry has them.
const isLocalBuild = (image: string): boolean => image.startsWith('cachelab/');

async function missing(images: readonly string[], probes: ImageProbes): Promise<string[]> {
  const found = await Promise.all(images.map((image) => probes.present(image)));
  return images.filter((_, i) => !found[i]);
}

async function offlineOrFail(input: ImageChoiceInput, why: string): Promise<ImageChoice> {
  const absent = await missing(input.offline, input.probes);
  if (absent.length > 0) {
    throw new LabError(
      'UP_FAILED',
      `${why}, and the offline images are not built either (${absent.join(', ')}): run scripts/build-offline-images.sh`,
    );
  }
  return { offline: true, reason: `offline images: ${why}` };
}

/**
 * Official images when they are all present, or when every missing one can be pulled from a registry
 * that answers; otherwise the offline images (which must be present). CACHELAB_OFFLINE forces either.
 */
export async function chooseImages(input: ImageChoiceInput): Promise<ImageChoice> {
  if (input.forced === true) return offlineOrFail(input, 'CACHELAB_OFFLINE=1');
  if (input.forced === false)
    return { offline: false, reason: 'official images: CACHELAB_OFFLINE=0' };
  const absent = await missing(input.official, input.probes);
  if (absent.length === 0) return { offline: false, reason: 'official images: all present' };
  const pullable = absent.filter((image) => !isLocalBuild(image));
  const [probe] = pullable;
  if (pullable.length === absent.length && probe && (await input.probes.registryAnswers(probe))) {
    return {
      offline: false,
      reason: `official images: a registry answers (${absent.length} to pull)`,
    };
  }
  return offlineOrFail(input, `official images missing (${absent.join(', ')}) and not pullable`);
}

/** The real probes: `docker image inspect` and `docker manifest inspect` (no download). */
export const dockerImageProbes: ImageProbes = {
  present: (image) => succeeds(['image', 'inspect', '--format', '{{.Id}}', image], 10_000),
  registryAnswers: (image) => succeeds(['manifest', 'inspect', image], 15_000),
};

async function succeeds(args: string[], timeoutMs: number): Promise<boolean> {
  try {
    await execCommand('docker', args, { timeoutMs });
    return true;
  } catch {
    return false; // absent image or unreachable registry: exactly what the probe reports
  }
}
