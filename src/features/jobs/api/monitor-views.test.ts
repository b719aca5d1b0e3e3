import { describe, expect, it } from 'vitest';
import { canonicalView, mergeViews, readViews, viewsFile } from './monitor-views.ts';

describe('saved monitor views', () => {
  it('keeps a view as its canonical querystring: page 1, defaults left out, columns and chart grouping checked', () => {
    expect(canonicalView('page=3&status=Failed&where=Site:eq:A&columns=site,jobId&chartBy=Site')).toEqual({
      search: 'status=Failed&where=Site%3Aeq%3AA&columns=jobId%2Csite&chartBy=Site',
      invalid: [],
    });
    expect(canonicalView('columns=secret&chartBy=Password&sort=Nope').invalid.sort()).toEqual(['chartBy', 'columns', 'sort']);
  });

  it('reads only files the portal exported, and refuses (by name) views with values the monitor does not accept', () => {
    const file = viewsFile([
      { name: 'Failed at CERN', search: 'status=Failed&site=CERN' },
      { name: 'Bad', search: 'where=Secret:eq:1' },
    ]);
    const { views, refused } = readViews(JSON.parse(JSON.stringify(file)));
    expect(views).toEqual([{ name: 'Failed at CERN', search: 'status=Failed&site=CERN' }]);
    expect(refused).toEqual(['Bad']);
    expect(readViews({ views: [{ name: 'x', search: '' }] })).toEqual({ views: [], refused: [] });
    expect(readViews({ ...file, views: [{ name: '', search: '' }] })).toEqual({ views: [], refused: [] });
  });

  it('replaces a view of the same name', () => {
    const a = { name: 'a', search: 'site=1' };
    expect(mergeViews([a, { name: 'b', search: '' }], [{ name: 'a', search: 'site=2' }])).toEqual([
      { name: 'b', search: '' },
      { name: 'a', search: 'site=2' },
    ]);
  });
});
