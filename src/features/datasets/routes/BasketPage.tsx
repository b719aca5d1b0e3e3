import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { BasketLocalityPanel } from '../components/BasketLocalityPanel.tsx';
import { BasketPanel } from '../components/BasketPanel.tsx';
import { EsapImportDialog } from '../components/EsapImportDialog.tsx';
import { FindDataPanel } from '../components/FindDataPanel.tsx';
import { RucioDidsDialog } from '../components/RucioDidsDialog.tsx';
import { RucioSearchPanel } from '../components/RucioSearchPanel.tsx';
import { BASKET_PANEL_PAGE, basketQueries } from '../api/basket-queries.ts';
import { rucioQueries } from '../api/rucio-queries.ts';

/**
 * `/basket`: find catalogue data (filters in the URL) and collect input data for jobs: DIRAC LFNs,
 * Rucio DIDs and ESAP basket items, kept server-side per user and DiracX instance.
 */
export function BasketPage() {
  const [dialog, setDialog] = useState<'rucio' | 'esap' | null>(null);
  const [searchParams, setSearchParams] = useSearchParams();
  // The sources this portal offers; until they are known (or if they cannot be read), the portal catalogue.
  const sources = useQuery(rucioQueries.sources());
  // The basket panel's first page (the same query): its count says whether there is data to locate.
  const basket = useQuery(basketQueries.page(0, BASKET_PANEL_PAGE));
  const rucio = sources.data?.items.find((s) => s.type === 'rucio');
  const source = rucio && searchParams.get('source') === 'rucio' ? 'rucio' : 'catalogue';
  const pick = (next: string | null) => {
    if (!next) return;
    setSearchParams(next === 'rucio' ? { source: 'rucio' } : {}, { replace: true });
  };
  return (
    <>
      <PageHeader
        title="Basket"
        description="Collect the input data for your jobs: files from the catalogue, Rucio datasets of the data lake, or what you selected in ESAP. Your basket is kept for you between sessions."
      />
      {rucio && (
        <ToggleButtonGroup
          exclusive
          value={source}
          onChange={(_e, v: string | null) => pick(v)}
          aria-label="Dataset source"
          size="small"
          color="primary"
          sx={{ mb: 2 }}
        >
          {sources.data?.items.map((s) => (
            <ToggleButton key={s.type} value={s.type} sx={{ color: 'text.primary', px: 2 }}>
              {s.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      )}
      {source === 'rucio' && rucio ? (
        <RucioSearchPanel label={rucio.label} defaultScope={sources.data?.rucioDefaultScope ?? null} />
      ) : (
        <FindDataPanel />
      )}
      <BasketPanel onPasteRucio={() => setDialog('rucio')} onImportEsap={() => setDialog('esap')} />
      {(basket.data?.count ?? 0) > 0 && <BasketLocalityPanel />}
      <RucioDidsDialog open={dialog === 'rucio'} onClose={() => setDialog(null)} />
      <EsapImportDialog open={dialog === 'esap'} onClose={() => setDialog(null)} />
    </>
  );
}
