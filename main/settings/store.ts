import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, type Settings, toSettings, validateSettingsInput } from './schema';

export interface LoadedSettings {
  readonly settings: Settings;
  /** Set when the file could not be used as it was; tells the user what happened. */
  readonly warning?: string;
}

/** Settings as JSON in the app's data folder: validated on load, written atomically. */
export class SettingsStore {
  constructor(readonly file: string) {}

  /** `keepAside: false` (the CLI) reports an unusable file but leaves it alone for the app to handle. */
  async load({ keepAside = true }: { keepAside?: boolean } = {}): Promise<LoadedSettings> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS };
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { settings: DEFAULT_SETTINGS, warning: await this.report('could not be read', keepAside) };
    }
    const merged = { ...DEFAULT_SETTINGS, ...(typeof parsed === 'object' && parsed !== null ? parsed : {}) };
    const checked = validateSettingsInput(merged);
    if (checked.ok) return { settings: toSettings(checked.value) };
    // Keep every valid field; reset only the broken ones, and keep the original file for the user.
    const fixed: Record<string, unknown> = { ...merged };
    for (const field of Object.keys(checked.errors)) fixed[field] = DEFAULT_SETTINGS[field as keyof Settings];
    const repaired = validateSettingsInput(fixed);
    const settings = repaired.ok ? toSettings(repaired.value) : DEFAULT_SETTINGS;
    const fields = Object.keys(checked.errors).join(', ');
    return { settings, warning: await this.report(`had invalid values (${fields}), which were reset`, keepAside) };
  }

  async save(settings: Settings): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(settings, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.file);
  }

  private async report(problem: string, keepAside: boolean): Promise<string> {
    if (!keepAside) return `Your settings file ${problem}.`;
    const backup = `${this.file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await fs.copyFile(this.file, backup);
    return `Your settings file ${problem}; the original was kept as ${path.basename(backup)}.`;
  }
}
