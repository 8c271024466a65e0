import { useSyncExternalStore, type ReactNode } from 'react';
import { DEFAULT_SETTINGS, type Settings } from '../data/settings';

// A tiny module-level store: one shared instance for the whole module.
interface SettingsState {
  saved: Settings;
  draft: Settings;
}

let state: SettingsState = { saved: DEFAULT_SETTINGS, draft: DEFAULT_SETTINGS };
const listeners = new Set<() => void>();

function setState(next: SettingsState) {
  state = next;
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function SettingsProvider({ children }: { children: ReactNode }) {
  return <>{children}</>;
}

export function useSettings() {
  const current = useSyncExternalStore(subscribe, () => state);
  return {
    saved: current.saved,
    draft: current.draft,
    setDraft: (draft: Settings) => setState({ ...state, draft }),
    save: () => setState({ ...state, saved: state.draft }),
  };
}
