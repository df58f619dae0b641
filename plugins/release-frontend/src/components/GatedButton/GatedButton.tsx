import Button, { ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';

/** Props of {@link GatedButton}. */
export interface GatedButtonProps extends ButtonProps {
  /** Why the action is not available; the button is disabled while set. */
  disabledReason?: string;
}

/**
 * A button that, when the action is not allowed, is disabled and explains
 * why in a tooltip. A disabled button fires no events, so the tooltip sits
 * on a focusable wrapper that keyboard users can reach too.
 */
export function GatedButton(props: GatedButtonProps) {
  const { disabledReason, disabled, style, ...rest } = props;
  // A label never wraps ("PROMO TE"): the button takes the room it needs.
  const buttonStyle = { whiteSpace: 'nowrap' as const, ...style };
  if (!disabledReason) {
    return <Button {...rest} style={buttonStyle} disabled={disabled} />;
  }
  return (
    <Tooltip title={disabledReason}>
      <span
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        data-testid="disabled-reason"
        style={{ display: 'inline-block' }}
      >
        <Button {...rest} style={buttonStyle} disabled />
      </span>
    </Tooltip>
  );
}
