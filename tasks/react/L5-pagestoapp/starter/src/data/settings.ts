// The user's settings, as edited on the Settings page.
export interface Settings {
  displayName: string;
  emailNotifications: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  displayName: 'Ada',
  emailNotifications: true,
};
