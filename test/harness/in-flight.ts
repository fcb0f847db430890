/**
 * Node's own records of work under way (process.getActiveResourcesInfo()): what the Electron host
 * waits for before it moves the app's clock on. A name missing here is work the warp does not wait
 * for, so time runs ahead of it. A FileHandle's close (the refresh lock's release) is a CloseReq, not
 * an FSReq.
 */
export const IN_FLIGHT = /^(FSReq|CloseReq|TCPConnectWrap|PipeConnectWrap|GetAddrInfoReqWrap|ShutdownWrap)/;

/** Whether a file operation, connect or look-up of this process is under way. */
export function nodeWorkInFlight(): boolean {
  return process.getActiveResourcesInfo().some((r) => IN_FLIGHT.test(r));
}
