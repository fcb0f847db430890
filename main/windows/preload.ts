import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { BRIDGE_KEY, type InvokeChannels, type SettingsView, VIEW_CHANGED, type ZoomTrayBridge } from '../shared/ipc-channels';

function invoke<C extends keyof InvokeChannels>(channel: C, request: InvokeChannels[C]['request']): Promise<InvokeChannels[C]['response']> {
  return ipcRenderer.invoke(channel, request) as Promise<InvokeChannels[C]['response']>;
}

/** The settings window's only way to the main process: a narrow typed API, never raw ipcRenderer. */
const bridge: ZoomTrayBridge = {
  getSettings: () => invoke('settings:get', null),
  saveSettings: (input) => invoke('settings:save', input),
  signIn: (cloud) => invoke('auth:sign-in', cloud ? { cloud } : null),
  signOut: (account) => invoke('auth:sign-out', account ? { email: account.email, cloud: account.cloud } : null),
  makeDefault: (account) => invoke('accounts:make-default', { email: account.email, cloud: account.cloud }),
  addCalendar: (address, name) => invoke('calendars:add', name === undefined ? { address } : { address, name }),
  removeCalendar: (name) => invoke('calendars:remove', { name }),
  onChange: (listener) => {
    const handler = (_event: IpcRendererEvent, view: SettingsView): void => listener(view);
    ipcRenderer.on(VIEW_CHANGED, handler);
    return () => void ipcRenderer.off(VIEW_CHANGED, handler);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
