import { useState } from 'react';
import { PageHeader } from '../../../shared/ui/PageHeader.tsx';
import { BasketPanel } from '../components/BasketPanel.tsx';
import { EsapImportDialog } from '../components/EsapImportDialog.tsx';
import { FindDataPanel } from '../components/FindDataPanel.tsx';
import { RucioDidsDialog } from '../components/RucioDidsDialog.tsx';

/**
 * `/basket`: find catalogue data (filters in the URL) and collect input data for jobs: DIRAC LFNs,
 * Rucio DIDs and ESAP basket items, kept server-side per user and DiracX instance.
 */
export function BasketPage() {
  const [dialog, setDialog] = useState<'rucio' | 'esap' | null>(null);
  return (
    <>
      <PageHeader
        title="Basket"
        description="Collect the input data for your jobs: files from the catalogue, Rucio datasets of the data lake, or what you selected in ESAP. Your basket is kept for you between sessions."
      />
      <FindDataPanel />
      <BasketPanel onPasteRucio={() => setDialog('rucio')} onImportEsap={() => setDialog('esap')} />
      <RucioDidsDialog open={dialog === 'rucio'} onClose={() => setDialog(null)} />
      <EsapImportDialog open={dialog === 'esap'} onClose={() => setDialog(null)} />
    </>
  );
}
