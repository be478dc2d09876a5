// Packaging, checked offline: electron-builder.yml passes electron-builder's own schema and says
// what the issue asks for, and a real `--linux dir` build against a stub Electron puts the app (and
// only the app) into app.asar, with better-sqlite3's binding unpacked beside it.
// Needs `npm run build` first (npm test does it), since it packages dist/.
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';
import { NATIVE_BINDING, REQUIRED, findProblems, loadConfig, stubBuild, validateConfig } from '../../scripts/check-packaging.mjs';

describe('electron-builder.yml', () => {
  it('is valid for electron-builder and describes Ferry\'s installers', async () => {
    const config = await loadConfig();
    await validateConfig(config);
    expect(config).toMatchObject({ appId: 'io.ferry.app', productName: 'Ferry', npmRebuild: true, asar: true });
    expect(config.asarUnpack).toEqual(expect.arrayContaining([expect.stringContaining('better-sqlite3')]));
    expect(config.linux).toMatchObject({ category: 'Network', target: ['AppImage', 'deb'], icon: 'build/icon.png' });
    expect(config.win).toMatchObject({ target: ['nsis'] });
    expect(config.mac).toMatchObject({ target: ['dmg'] });
  });

  it('the schema check really rejects a broken configuration', async () => {
    const config = await loadConfig();
    // Typos are what the schema catches (it coerces scalar types and takes any target name).
    const broken = { ...config, linux: { ...config.linux, categroy: 'Network' } } as unknown as Configuration;
    await expect(validateConfig(broken)).rejects.toThrow(/Invalid configuration object/);
    const unknownKey = { ...config, asarUnpak: ['x'] } as unknown as Configuration;
    await expect(validateConfig(unknownKey)).rejects.toThrow(/Invalid configuration object/);
  });
});

describe('archive inspection', () => {
  const fine = { main: 'dist/main/app/main.js', bindingUnpacked: true, packagedPkg: { type: 'module' } };
  it('finds tests, sources, maps, a missing entry and a packed binding', () => {
    expect(findProblems([...REQUIRED, 'dist/main/app/main.js'], fine)).toEqual([]);
    const problems = findProblems(
      [...REQUIRED.filter((f) => f !== 'dist/preload/index.cjs'), 'dist/main/app/main.js', 'test/app/tray.test.ts', 'main/app/start.ts', 'dist/main/app/main.js.map'],
      { ...fine, bindingUnpacked: false, packagedPkg: {} },
    );
    expect(problems).toEqual([
      'missing from app.asar: dist/preload/index.cjs',
      'should not be packaged: test/app/tray.test.ts',
      'should not be packaged: main/app/start.ts',
      'should not be packaged: dist/main/app/main.js.map',
      `${NATIVE_BINDING} must be unpacked next to app.asar (a .node cannot load from inside it)`,
      'the packaged package.json must keep "type": "module" (the main process is ESM)',
    ]);
  });
});

describe('stub Electron build', () => {
  it('packages the main process, preload, renderer and the unpacked binding, and nothing else', { timeout: 120_000 }, async () => {
    const { files, problems, packagedPkg } = await stubBuild();
    expect(problems).toEqual([]);
    expect(files).toEqual(expect.arrayContaining([...REQUIRED, NATIVE_BINDING]));
    expect(files.filter((f) => f.startsWith('test/') || f.endsWith('.ts'))).toEqual([]);
    expect(packagedPkg).toMatchObject({ name: 'ferry', main: 'dist/main/app/main.js', type: 'module' });
  });
});
