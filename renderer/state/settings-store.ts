// The app settings as main last reported them. Every change goes through main (which validates
// and persists) and the answer replaces this copy, so the window never shows a value main refused.
import { create } from 'zustand';
import type { AppSettings } from '../../preload/contract.js';

export interface SettingsStore {
  settings: AppSettings | null;
  setSettings(settings: AppSettings): void;
}

export const useSettings = create<SettingsStore>()((set) => ({
  settings: null,
  setSettings: (settings) => set({ settings }),
}));
