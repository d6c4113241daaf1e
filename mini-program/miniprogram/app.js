// The widget's host app. A brand that drops the loyalty-card component into its own Mini Program keeps its app.js
// and only sets the engine's address (siyu.config.js).
App({});
