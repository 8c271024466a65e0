import { createContext, useContext, useState, type ReactNode } from 'react';
import { DEFAULT_SETTINGS, type Settings } from '../data/settings';

interface SettingsContextValue {
  saved: Settings;
  save: (settings: Settings) => void;
}

const SettingsContext = createContext<SettingsContextValue | null>(null);

export function SettingsProvider({ children }: { children: ReactNode }) {
  const [saved, setSaved] = useState<Settings>(DEFAULT_SETTINGS);
  return <SettingsContext.Provider value={{ saved, save: setSaved }}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext);
  if (!value) throw new Error('useSettings must be used inside <SettingsProvider>');
  return value;
}
