import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZoomTrayError } from '../lib/errors';
import { readSmallFile, writeFileAtomic } from '../lib/files';
import { DEFAULT_SETTINGS, type Settings, toSettings, validateSettingsInput } from '../shared/settings-schema';

export interface LoadedSettings {
  readonly settings: Settings;
  /** Set when the file could not be used as it was; tells the user what happened. */
  readonly warning?: string;
}

/** A settings file is a few hundred bytes; anything this big is not one. */
const MAX_BYTES = 64 * 1024;

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  // A file where a folder of the path should be: the data folder itself is wrong, not the file.
  if (code === 'ENOTDIR') return 'a file stands where a folder of its path should be: check ZOOM_TRAY_DATA_DIR';
  return code ?? (err as Error).message;
}

/**
 * Settings as JSON in the app's data folder: validated on load, written atomically. Loading never
 * fails: whatever is wrong with the file, the defaults are used and the warning says what to do.
 */
export class SettingsStore {
  constructor(readonly file: string) {}

  /** `keepAside: false` (the CLI) reports an unusable file but leaves it alone for the app to handle. */
  async load({ keepAside = true }: { keepAside?: boolean } = {}): Promise<LoadedSettings> {
    let text: string;
    try {
      text = await readSmallFile(this.file, MAX_BYTES);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS };
      return {
        settings: DEFAULT_SETTINGS,
        warning: `Your settings file ${this.file} cannot be used (${reason(err)}), so the defaults apply. Move it away or fix its permissions.`,
      };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    // Not JSON, or JSON that is not an object ([], "x", 5): nothing in it can be settings.
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { settings: DEFAULT_SETTINGS, warning: await this.report('could not be read', keepAside) };
    }
    const merged = { ...DEFAULT_SETTINGS, ...parsed };
    const checked = validateSettingsInput(merged);
    if (checked.ok) return { settings: toSettings(checked.value) };
    // Keep every valid field; reset only the broken ones, and keep the original file for the user.
    // A reset can break a rule between fields (the join shortcut is now the default start shortcut):
    // those are reset too, a field at a time, rather than every setting the file held.
    const fixed: Record<string, unknown> = { ...merged };
    const reset = new Set<string>();
    let errors = checked.errors;
    let settings: Settings = DEFAULT_SETTINGS;
    for (let round = 0; round < Object.keys(DEFAULT_SETTINGS).length; round++) {
      for (const field of Object.keys(errors)) {
        reset.add(field);
        fixed[field] = DEFAULT_SETTINGS[field as keyof Settings];
      }
      const repaired = validateSettingsInput(fixed);
      if (repaired.ok) {
        settings = toSettings(repaired.value);
        break;
      }
      errors = repaired.errors;
    }
    const fields = [...reset].join(', ');
    return { settings, warning: await this.report(`had invalid values (${fields}), which were reset`, keepAside) };
  }

  async save(settings: Settings): Promise<void> {
    try {
      await writeFileAtomic(this.file, `${JSON.stringify(settings, null, 2)}\n`);
    } catch (err) {
      throw new ZoomTrayError(
        'local',
        `Your settings could not be saved to ${this.file} (${reason(err)}). Check that folder's permissions and free space, or set ZOOM_TRAY_DATA_DIR to another folder.`,
        { cause: err },
      );
    }
  }

  private async report(problem: string, keepAside: boolean): Promise<string> {
    if (!keepAside) return `Your settings file ${problem}.`;
    const backup = `${this.file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await fs.copyFile(this.file, backup);
      return `Your settings file ${problem}; the original was kept as ${path.basename(backup)}.`;
    } catch {
      return `Your settings file ${problem}.`;
    }
  }
}
