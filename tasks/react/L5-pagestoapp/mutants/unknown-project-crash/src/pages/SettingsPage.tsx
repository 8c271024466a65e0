import { useState, type FormEvent } from 'react';
import { useSettings } from '../app/SettingsContext';

// The draft lives in the app-level SettingsProvider, so unsaved edits survive navigation.
export function SettingsPage() {
  const { draft, setDraft, save } = useSettings();
  const [saved, setSaved] = useState(false);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save();
    setSaved(true);
  }

  return (
    <section>
      <h1>Settings</h1>
      <form onSubmit={handleSubmit}>
        <label htmlFor="settings-display-name">Display name</label>
        <input
          id="settings-display-name"
          type="text"
          value={draft.displayName}
          onChange={(event) => {
            setDraft({ ...draft, displayName: event.target.value });
            setSaved(false);
          }}
        />
        <label>
          <input
            type="checkbox"
            checked={draft.emailNotifications}
            onChange={(event) => {
              setDraft({ ...draft, emailNotifications: event.target.checked });
              setSaved(false);
            }}
          />
          Email notifications
        </label>
        <button type="submit">Save</button>
        {saved && <p role="status">Settings saved.</p>}
      </form>
    </section>
  );
}
