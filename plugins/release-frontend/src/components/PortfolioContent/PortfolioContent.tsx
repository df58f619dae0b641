import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import LinearProgress from '@material-ui/core/LinearProgress';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import ChevronLeftIcon from '@material-ui/icons/ChevronLeft';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import GetAppIcon from '@material-ui/icons/GetApp';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useDebounce from 'react-use/esm/useDebounce';
import { PortfolioFilters, releaseApiRef } from '../../api';
import { errorMessage } from '../../errors';
import { releaseTranslationRef } from '../../translation';
import { PortfolioDelivery } from './PortfolioDelivery';
import { PortfolioFilterBar } from './PortfolioFilterBar';
import { PortfolioTable } from './PortfolioTable';
import { usePortfolio } from './usePortfolio';

const PAGE_SIZES = [25, 50, 100];

/** Saves a text as a file the browser downloads. */
function saveFile(text: string, name: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * Every entity with a release pipeline the user may see × its phases:
 * filters, server-side pages, links into each entity's Releases tab, and a
 * CSV of everything that matches.
 */
export function PortfolioContent() {
  const api = useApi(releaseApiRef);
  const { t } = useTranslationRef(releaseTranslationRef);
  const [input, setInput] = useState<PortfolioFilters>({});
  const [filters, setFilters] = useState<PortfolioFilters>({});
  useDebounce(() => setFilters(input), 300, [input]);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[1]);
  const page = usePortfolio(filters, pageSize);
  const [download, startDownload] = useAsyncFn(async () => {
    saveFile(
      await api.getPortfolioCsv(filters),
      'releases-portfolio.csv',
      'text/csv',
    );
  }, [api, filters]);

  const items = page.value?.items ?? [];
  const from = page.index * pageSize + 1;
  const total = page.value?.totalItems;
  const actions = (
    <Button
      variant="outlined"
      size="small"
      startIcon={<GetAppIcon />}
      onClick={startDownload}
      disabled={download.loading}
    >
      {download.loading
        ? t('portfolio.downloading')
        : t('portfolio.downloadCsv')}
    </Button>
  );

  return (
    <InfoCard title={t('portfolio.cardTitle')} action={actions}>
      <PortfolioFilterBar value={input} onChange={setInput} />
      <PortfolioDelivery filters={filters} />
      {download.error && (
        <Alert severity="error" role="alert">
          {t('portfolio.downloadFailed', {
            message: errorMessage(download.error),
          })}
        </Alert>
      )}
      {page.error && <ResponseErrorPanel error={page.error} />}
      {!page.value && page.loading && <Progress />}
      {page.value && page.loading && <LinearProgress />}
      {page.value && items.length === 0 && !page.loading && (
        <EmptyState
          missing="data"
          title={t('portfolio.empty')}
          description={t('portfolio.emptyHint')}
        />
      )}
      {items.length > 0 && <PortfolioTable items={items} />}
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        justifyContent="flex-end"
        mt={1}
        style={{ gap: 8 }}
      >
        <Typography variant="body2" id="portfolio-page-size" component="span">
          {t('portfolio.rowsPerPage')}
        </Typography>
        <Select
          value={pageSize}
          onChange={e => setPageSize(Number(e.target.value))}
          inputProps={{ 'aria-labelledby': 'portfolio-page-size' }}
          disableUnderline
        >
          {PAGE_SIZES.map(n => (
            <MenuItem key={n} value={n}>
              {n}
            </MenuItem>
          ))}
        </Select>
        {items.length > 0 && (
          <Typography variant="body2" aria-live="polite">
            {t('portfolio.range', {
              from: String(from),
              to: String(from + items.length - 1),
              total: String(total ?? '?'),
            })}
          </Typography>
        )}
        <IconButton
          aria-label={t('portfolio.previous')}
          disabled={!page.hasPrevious || page.loading}
          onClick={page.previous}
        >
          <ChevronLeftIcon />
        </IconButton>
        <IconButton
          aria-label={t('portfolio.next')}
          disabled={!page.hasNext || page.loading}
          onClick={page.next}
        >
          <ChevronRightIcon />
        </IconButton>
      </Box>
    </InfoCard>
  );
}
