/**
 * The app's reverse-DNS id. electron-builder.yml's appId and package.json's desktopName (plus
 * ".desktop") must be the same: Windows ties notifications to the Start-menu shortcut's id, and the
 * Wayland shortcut portal only serves an app whose installed .desktop file carries it.
 */
export const APP_ID = 'io.github.zoom_tray.ZoomTray';
