import { createContext, useContext, useState, type ReactNode } from 'react';
import { DEFAULT_SETTINGS, type Settings } from '../data/settings';

interface SettingsContextValue {
  /** The last saved settings. */
  saved: Settings;
  /** The Settings form's current, possibly unsaved values. */
  draft: Settings;
  setDraft: (draft: Settings) => void;
  /** Commits the draft. */
  save: () => void;
}

const SettingsContext = createContext<SettingsContextValue | null>(null);

export function SettingsProvider({ children }: { children: ReactNode }) {
  const [saved, setSaved] = useState<Settings>(DEFAULT_SETTINGS);
  const [draft, setDraft] = useState<Settings>(DEFAULT_SETTINGS);
  const value: SettingsContextValue = {
    saved,
    draft,
    setDraft,
    save: () => setSaved(draft),
  };
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext);
  if (!value) throw new Error('useSettings must be used inside <SettingsProvider>');
  return value;
}
