import './sc-app.ts';
