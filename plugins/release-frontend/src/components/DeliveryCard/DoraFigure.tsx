import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { DoraBand } from '@release-manager/backstage-plugin-release-common';
import { BandChip } from './BandChip';

/**
 * One DORA figure: its name, value, a detail line and band; hovering (or
 * focusing) it explains how it is computed.
 */
export function DoraFigure(props: {
  title: string;
  value: string;
  detail: string;
  band?: DoraBand;
  explanation: string;
}) {
  return (
    <Tooltip
      arrow
      title={<Typography variant="body2">{props.explanation}</Typography>}
    >
      <Box
        tabIndex={0}
        role="group"
        aria-label={props.title}
        p={1}
        border={1}
        borderColor="divider"
        borderRadius={4}
        height="100%"
      >
        <Typography variant="caption" color="textSecondary">
          {props.title}
        </Typography>
        <Typography variant="h5" component="p">
          {props.value}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="p">
          {props.detail}
        </Typography>
        <BandChip band={props.band} />
      </Box>
    </Tooltip>
  );
}
