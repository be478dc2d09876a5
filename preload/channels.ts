// The channel strings at run time, checked against the contract by the compiler: a method
// missing here, or a channel spelled differently, fails the type check.
import type { Contract, EventName, Events, Method } from './contract.js';

export const METHOD_CHANNELS: { readonly [M in Method]: Contract[M]['channel'] } = {
  list: 'downloads:list',
  details: 'downloads:details',
  add: 'downloads:add',
  pause: 'downloads:pause',
  resume: 'downloads:resume',
  cancel: 'downloads:cancel',
  remove: 'downloads:remove',
  retry: 'downloads:retry',
  move: 'downloads:move',
  pauseAll: 'downloads:pauseAll',
  resumeAll: 'downloads:resumeAll',
  openFile: 'downloads:openFile',
  showInFolder: 'downloads:showInFolder',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  pickDownloadFolder: 'settings:pickDownloadFolder',
  pickFolder: 'folders:pick',
  defaultFolder: 'folders:default',
};

export const EVENT_CHANNELS: { readonly [E in EventName]: Events[E]['channel'] } = {
  progress: 'downloads:progress',
  addUrls: 'app:addUrls',
};

export const METHODS = Object.keys(METHOD_CHANNELS) as Method[];
