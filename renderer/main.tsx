// Entry point of the renderer bundle (dist/renderer/app.js, loaded by index.html).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.js';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
if (!window.ferry) {
  // Loaded outside Electron without a bridge: say so instead of failing on the first call.
  root.textContent = 'Ferry’s window needs its preload bridge (window.ferry), which is missing.';
} else {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
