import { render } from 'preact';
import { App } from './app';
import { applyTheme, readThemeChoice } from './theme';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/surfaces.css';
import './styles/states.css';
import './styles/chart.css';
import './styles/pages.css';
import './styles/detail.css';
import './styles/keys.css';

applyTheme(readThemeChoice());
render(<App />, document.getElementById('app')!);
