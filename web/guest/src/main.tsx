import { render } from 'preact';
import { App } from './app';
import { loadConfig } from '../../common/api';
import '../../common/theme.css';
import './style.css';

const config = await loadConfig();
render(<App config={config} tableCode={new URLSearchParams(location.search).get('t') ?? ''} />, document.getElementById('app') as HTMLElement);
