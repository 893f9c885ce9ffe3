import { render } from 'preact';
import { loadConfig } from '../../common/api';
import { App } from './app';
import '../../common/theme.css';
import './style.css';

const config = await loadConfig();
render(<App config={config} />, document.getElementById('app') as HTMLElement);
