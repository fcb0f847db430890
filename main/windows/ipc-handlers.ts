import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS, type InvokeChannel, type InvokeChannels } from '../shared/ipc-channels';

export type InvokeHandlers = { [C in InvokeChannel]: (request: unknown) => Promise<InvokeChannels[C]['response']> };

/** Channels whose request carries nothing: any payload on them is refused. */
const EMPTY_REQUEST: ReadonlySet<InvokeChannel> = new Set(['settings:get']);

/** Registers every invoke channel with a sender check; payloads are validated by the handlers. */
export function handleIpc(ipcMain: IpcMain, handlers: InvokeHandlers, isTrusted: (event: IpcMainInvokeEvent) => boolean): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!isTrusted(event)) throw new Error(`zoom-tray refused ${channel} from an untrusted sender.`);
      if (EMPTY_REQUEST.has(channel) && request !== null && request !== undefined) throw new Error(`zoom-tray: ${channel} takes no payload.`);
      return handlers[channel](request);
    });
  }
}
