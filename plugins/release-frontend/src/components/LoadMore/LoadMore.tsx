import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { ResponseErrorPanel } from '@backstage/core-components';

/** A paginated list's state, as the plugin's paging hooks return it. */
export interface PagedList {
  error?: Error;
  nextCursor?: string;
  loading: boolean;
  loadMore: () => void;
}

/**
 * Under a paginated list: the error of the last page, if any, and a "Load
 * more" button while there is a next page.
 */
export function LoadMore(props: { pages: PagedList }) {
  const { pages } = props;
  return (
    <>
      {pages.error && <ResponseErrorPanel error={pages.error} />}
      {pages.nextCursor && (
        <Box display="flex" justifyContent="center" mt={2}>
          <Button
            variant="outlined"
            onClick={pages.loadMore}
            disabled={pages.loading}
          >
            {pages.loading ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
    </>
  );
}
